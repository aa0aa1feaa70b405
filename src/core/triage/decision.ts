import { MODALITIES } from '../domain.js';
import type { Rule } from './rule-set-schema.js';
import type { TriageDecision } from './types.js';

/**
 * What a rule answers once it fires. The defaults live here and nowhere else:
 * call-15 → act now (delay 0), nobody to book; pharmacy-protocol → at the
 * counter (no delay to book), office; book → every modality unless restricted.
 */
export function decisionOf(rule: Rule, version: number): TriageDecision {
  const then = rule.then;
  const base = { rule: { id: rule.id, version }, reason: then.reason };
  switch (then.orientation) {
    case 'call-15':
      return { orientation: 'call-15', maxDelayMinutes: 0, professions: [], skills: [], modalities: [], ...base };
    case 'pharmacy-protocol':
      return {
        orientation: 'pharmacy-protocol',
        maxDelayMinutes: null,
        professions: [...then.professions],
        skills: [...(then.skills ?? [])],
        modalities: ['office'],
        ...base,
      };
    case 'book':
      return {
        orientation: 'book',
        maxDelayMinutes: then.maxDelayMinutes,
        professions: [...then.professions],
        skills: [...(then.skills ?? [])],
        modalities: [...(then.modalities ?? MODALITIES)],
        ...base,
      };
  }
}
