import type { Sex } from '../domain.js';
import { MAX_AGE_YEARS, type RuleCondition } from './rule-set-schema.js';
import type { TriageInput } from './types.js';
import type { Vocabulary } from './vocabulary.js';

// Set algebra over the space of *valid* triage inputs, used to prove that a
// rule can fire (a witness input) or can never fire (covered by earlier rules).
//
// The space is a product of independent dimensions:
//   complaint  one code of the vocabulary
//   person     (sex, pregnant) among the 5 valid pairs (a male is never pregnant)
//   age        an integer 0..130
//   flags      any subset of the vocabulary's red flags (one yes/no dimension each)
// A cube picks a subset per dimension (a set of complaints, of persons, an age
// interval, and for each flag: required, forbidden or free). A rule's `when` is
// a union of disjoint cubes: one cube, except that `anyFlags: [a, b, c]` becomes
// the disjoint cubes {a}, {not a, b}, {not a, not b, c}.
// Sets are bigints so that vocabularies of any size work; this runs when a
// rule set is validated, never per request.

export interface Cube {
  complaints: bigint;
  persons: bigint;
  ageMin: number;
  ageMax: number;
  flagsOn: bigint;
  flagsOff: bigint;
}

/** A rule's `when` as sets over the space; `anyOf` null means no "any" constraint. */
export interface Condition extends Cube {
  anyOf: bigint | null;
}

/**
 * Does every input matching `b` also match `a`? Exact, in constant time, for
 * conditions in normal form with `b` not empty. Per dimension: b's set inside
 * a's; a's required flags required by b; a's excluded flags excluded by b;
 * and a's "any of" met by every input of b — by one of b's required flags, or
 * because b's own "any of" (≥ 2 flags after normalisation) lies inside it.
 */
export function conditionContains(a: Condition, b: Condition): boolean {
  return (
    (b.complaints & ~a.complaints) === 0n &&
    (b.persons & ~a.persons) === 0n &&
    a.ageMin <= b.ageMin &&
    b.ageMax <= a.ageMax &&
    (a.flagsOn & ~b.flagsOn) === 0n &&
    (a.flagsOff & ~b.flagsOff) === 0n &&
    (a.anyOf === null || (b.flagsOn & a.anyOf) !== 0n || (b.anyOf !== null && (b.anyOf & ~a.anyOf) === 0n))
  );
}

/** The valid (sex, pregnant) pairs; bit i of `Cube.persons` stands for VALID_PERSONS[i]. */
export const VALID_PERSONS: readonly { sex: Sex; pregnant: boolean }[] = [
  { sex: 'female', pregnant: false },
  { sex: 'female', pregnant: true },
  { sex: 'male', pregnant: false },
  { sex: 'unknown', pregnant: false },
  { sex: 'unknown', pregnant: true },
];

/** Counts cube subtractions so that a pathological rule set cannot stall validation. */
export class Budget {
  constructor(public remaining: number) {}
}

export class MatchSpace {
  private readonly complaintBits = new Map<string, bigint>();
  private readonly flagBits = new Map<string, bigint>();
  private readonly allComplaints: bigint;

  constructor(private readonly vocabulary: Vocabulary) {
    vocabulary.complaints.forEach((code, i) => this.complaintBits.set(code, 1n << BigInt(i)));
    vocabulary.redFlags.forEach((code, i) => this.flagBits.set(code, 1n << BigInt(i)));
    this.allComplaints = (1n << BigInt(vocabulary.complaints.length)) - 1n;
  }

  /**
   * A `when` in normal form: `anyOf` loses the flags that `noneFlags` excludes;
   * it is dropped when `allFlags` already satisfies it, and a single remaining
   * flag becomes required. A `when` that matches nothing has no complaints.
   */
  conditionOf(when: RuleCondition): Condition {
    let persons = 0n;
    VALID_PERSONS.forEach((person, i) => {
      if (when.sex !== undefined && when.sex !== person.sex) return;
      if (when.pregnant !== undefined && when.pregnant !== person.pregnant) return;
      persons |= 1n << BigInt(i);
    });
    const condition: Condition = {
      complaints: when.complaints ? this.bitsOf(this.complaintBits, when.complaints) : this.allComplaints,
      persons,
      ageMin: when.ageMin ?? 0,
      ageMax: when.ageMax ?? MAX_AGE_YEARS,
      flagsOn: when.allFlags ? this.bitsOf(this.flagBits, when.allFlags) : 0n,
      flagsOff: when.noneFlags ? this.bitsOf(this.flagBits, when.noneFlags) : 0n,
      anyOf: null,
    };
    if (when.anyFlags !== undefined) {
      const anyOf = this.bitsOf(this.flagBits, when.anyFlags) & ~condition.flagsOff;
      if (anyOf === 0n) condition.complaints = 0n; // every listed flag is excluded: matches nothing
      else if ((anyOf & condition.flagsOn) !== 0n) condition.anyOf = null; // already implied by allFlags
      else if ((anyOf & (anyOf - 1n)) === 0n) condition.flagsOn |= anyOf; // a single flag: simply required
      else condition.anyOf = anyOf;
    }
    return condition;
  }

  /** The inputs a condition matches, as disjoint cubes (none if it matches nothing). */
  regionOf(condition: Condition): Cube[] {
    const { anyOf, ...base } = condition;
    const cubes: Cube[] = [];
    if (anyOf === null) {
      cubes.push(base);
    } else {
      // any of {a, b, c} = {a} ∪ {not a, b} ∪ {not a, not b, c}: disjoint
      let earlier = 0n;
      for (const bit of bitsIn(anyOf)) {
        cubes.push({ ...base, flagsOn: base.flagsOn | bit, flagsOff: base.flagsOff | earlier });
        earlier |= bit;
      }
    }
    return cubes.filter((cube) => !isEmpty(cube));
  }

  /** One concrete input inside the cube. */
  witness(cube: Cube): TriageInput {
    const complaint = this.vocabulary.complaints[lowestBitIndex(cube.complaints)];
    const person = VALID_PERSONS[lowestBitIndex(cube.persons)];
    if (complaint === undefined || person === undefined) throw new Error('witness of an empty cube');
    const redFlags = this.vocabulary.redFlags.filter((code) => ((this.flagBits.get(code) ?? 0n) & cube.flagsOn) !== 0n);
    return {
      patient: person.pregnant ? { age: cube.ageMin, sex: person.sex, pregnant: true } : { age: cube.ageMin, sex: person.sex },
      complaint,
      redFlags,
    };
  }

  private bitsOf(bits: Map<string, bigint>, codes: readonly string[]): bigint {
    let set = 0n;
    for (const code of codes) set |= bits.get(code) ?? 0n; // unknown codes are reported by validation
    return set;
  }
}

export function isEmpty(cube: Cube): boolean {
  return (
    cube.complaints === 0n || cube.persons === 0n || cube.ageMin > cube.ageMax || (cube.flagsOn & cube.flagsOff) !== 0n
  );
}

export function intersects(a: Cube, b: Cube): boolean {
  return (
    (a.complaints & b.complaints) !== 0n &&
    (a.persons & b.persons) !== 0n &&
    a.ageMin <= b.ageMax &&
    b.ageMin <= a.ageMax &&
    (a.flagsOn & b.flagsOff) === 0n &&
    (a.flagsOff & b.flagsOn) === 0n
  );
}

/**
 * c minus d, as disjoint cubes: peel off, dimension by dimension, the part of
 * c outside d; what is left at the end lies inside d and is dropped.
 */
export function subtractCube(c: Cube, d: Cube): Cube[] {
  if (!intersects(c, d)) return [c];
  const pieces: Cube[] = [];
  const rest: Cube = { ...c };

  const complaintsOutside = rest.complaints & ~d.complaints;
  if (complaintsOutside !== 0n) pieces.push({ ...rest, complaints: complaintsOutside });
  rest.complaints &= d.complaints;

  const personsOutside = rest.persons & ~d.persons;
  if (personsOutside !== 0n) pieces.push({ ...rest, persons: personsOutside });
  rest.persons &= d.persons;

  if (rest.ageMin < d.ageMin) {
    pieces.push({ ...rest, ageMax: d.ageMin - 1 });
    rest.ageMin = d.ageMin;
  }
  if (rest.ageMax > d.ageMax) {
    pieces.push({ ...rest, ageMin: d.ageMax + 1 });
    rest.ageMax = d.ageMax;
  }

  for (const bit of bitsIn(d.flagsOn & ~rest.flagsOn)) {
    pieces.push({ ...rest, flagsOff: rest.flagsOff | bit });
    rest.flagsOn |= bit;
  }
  for (const bit of bitsIn(d.flagsOff & ~rest.flagsOff)) {
    pieces.push({ ...rest, flagsOn: rest.flagsOn | bit });
    rest.flagsOff |= bit;
  }
  return pieces;
}

/** region minus other; null when the budget runs out (the caller must then assume nothing). */
export function subtractRegion(region: readonly Cube[], other: readonly Cube[], budget: Budget): Cube[] | null {
  let left: Cube[] = [...region];
  for (const d of other) {
    const next: Cube[] = [];
    for (const c of left) {
      if (--budget.remaining < 0) return null;
      next.push(...subtractCube(c, d));
    }
    left = next;
    if (left.length === 0) break;
  }
  return left;
}

export function regionsIntersect(a: readonly Cube[], b: readonly Cube[]): boolean {
  return a.some((x) => b.some((y) => intersects(x, y)));
}

function* bitsIn(set: bigint): Generator<bigint> {
  let rest = set;
  while (rest !== 0n) {
    const lowest = rest & -rest;
    yield lowest;
    rest ^= lowest;
  }
}

function lowestBitIndex(set: bigint): number {
  return (set & -set).toString(2).length - 1;
}
