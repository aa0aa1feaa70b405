// A slot's modality and its professional's skills as bits of one integer, so
// the matcher tests them with two masks instead of reaching for the
// professional object (a cache miss per slot at a million slots).
import { MODALITIES, type Modality } from '../domain.js';

const MODALITY_BIT: ReadonlyMap<string, number> = new Map(MODALITIES.map((m, i) => [m, 1 << i]));
const ANY_MODALITY = (1 << MODALITIES.length) - 1;

const FIRST_SKILL_BIT = MODALITIES.length;
const LAST_SKILL_BIT = 29;
/** Set on a slot whose professional has a skill that got no bit of its own. */
const UNBITTED_SKILL = 1 << 30;

export function modalityBit(modality: string): number | undefined {
  return MODALITY_BIT.get(modality);
}

/** The bits a slot's modality must hit; an empty list means any. */
export function modalityMask(modalities: readonly Modality[]): number {
  if (modalities.length === 0) return ANY_MODALITY;
  let mask = 0;
  for (const m of modalities) mask |= MODALITY_BIT.get(m) ?? 0;
  return mask;
}

export interface SkillRequirement {
  /** Bits every matching slot has. */
  readonly mask: number;
  /** Some skill has no bit: check the professional's skills too. */
  readonly checkObject: boolean;
  /** Some skill was never seen on any slot: nothing can match. */
  readonly impossible: boolean;
}

/**
 * Skill → bit, assigned in order of first appearance. The vocabulary is small
 * (tens of codes); those past the 27th share one "has an unbitted skill" bit
 * and are checked on the professional object, which stays exact, only slower.
 */
export class SkillBits {
  private readonly bits = new Map<string, number>();
  private next = FIRST_SKILL_BIT;

  /** Bits of these skills, giving unseen ones a bit while any is left. */
  tagsOf(skills: readonly string[]): number {
    let tags = 0;
    for (const skill of skills) {
      let bit = this.bits.get(skill);
      if (bit === undefined) {
        bit = this.next <= LAST_SKILL_BIT ? 1 << this.next++ : UNBITTED_SKILL;
        this.bits.set(skill, bit);
      }
      tags |= bit;
    }
    return tags;
  }

  requirement(skills: readonly string[]): SkillRequirement {
    let mask = 0;
    let checkObject = false;
    for (const skill of skills) {
      const bit = this.bits.get(skill);
      if (bit === undefined) return { mask, checkObject, impossible: true };
      if (bit === UNBITTED_SKILL) checkObject = true;
      mask |= bit;
    }
    return { mask, checkObject, impossible: false };
  }
}
