// On-call bands of a demo professional: every afternoon 14:00–20:00, shared out
// between the modalities they offer so that no two bands overlap (a professional
// is never in two slots at once; the database refuses overlapping slots).
import type { Modality, Profession } from '../core/domain.js';
import { type BandRule, formatClockTime } from '../core/time/index.js';
import { professionProfile } from './profession-profiles.js';
import type { SeededRandom } from './prng.js';
import type { DemoBand, DemoSite } from './types.js';

const AFTERNOON_START = 14 * 60;
const AFTERNOON_END = 20 * 60;
const MONDAY_TO_SUNDAY = [1, 2, 3, 4, 5, 6, 7] as const;
const MONDAY_TO_SATURDAY = [1, 2, 3, 4, 5, 6] as const;
/** Demo bands start on this date and never end, so a fresh database always has slots ahead. */
export const DEMO_BANDS_VALID_FROM = '2026-01-01';

interface ModalityWindow {
  modality: Modality;
  start: number;
  end: number;
}

/** 14:00–20:00 cut into one window per modality, on whole hours (so 15, 20 and 30-minute slots fit exactly). */
function modalityWindows(profession: Profession, modalities: readonly Modality[], random: SeededRandom): ModalityWindow[] {
  // Nurses do their home rounds first and see walk-ins at the practice later; others the other way round.
  const order: Modality[] = profession === 'nurse' ? ['home', 'office', 'video'] : ['office', 'home', 'video'];
  const offered = order.filter((m) => modalities.includes(m));
  const cuts = offered.length === 1 ? [] : offered.length === 2 ? [random.pick([16, 17, 18]) * 60] : [17 * 60, 19 * 60];
  const bounds = [AFTERNOON_START, ...cuts, AFTERNOON_END];
  return offered.map((modality, i) => ({ modality, start: bounds[i] as number, end: bounds[i + 1] as number }));
}

export function demoBands(profession: Profession, modalities: readonly Modality[], sites: readonly DemoSite[], keyPrefix: string, random: SeededRandom): DemoBand[] {
  const profile = professionProfile(profession);
  const days = random.chance(0.55) ? MONDAY_TO_SUNDAY : MONDAY_TO_SATURDAY;
  const slotMinutes = random.pick(profile.slotMinutes);
  const [mainSite, secondSite] = sites;
  if (!mainSite) throw new Error('a professional on call needs a site');

  const bands: DemoBand[] = [];
  const add = (modality: Modality, site: DemoSite, window: ModalityWindow, daysOfWeek: readonly number[]) => {
    const rule: BandRule = {
      daysOfWeek: [...daysOfWeek],
      localStart: formatClockTime(window.start),
      localEnd: formatClockTime(window.end),
      slotMinutes: modality === 'video' ? Math.min(slotMinutes, 20) : slotMinutes,
      validFrom: DEMO_BANDS_VALID_FROM,
      validUntil: null,
    };
    bands.push({ key: `${keyPrefix}-band-${bands.length + 1}`, siteKey: site.key, modality, rule });
  };
  for (const window of modalityWindows(profession, modalities, random)) {
    if (window.modality === 'office' && secondSite) {
      // Two practices: alternate days between them.
      add('office', mainSite, window, days.filter((d) => d % 2 === 1));
      add('office', secondSite, window, days.filter((d) => d % 2 === 0));
    } else {
      add(window.modality, mainSite, window, days);
    }
  }
  return bands;
}
