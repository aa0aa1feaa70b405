// Local time for on-call bands: cutting bands into slots and writing instants
// with the territory's offset. Framework-free; see materialise.ts for the DST rules.
export { type BandRule, type BandWindow, type SlotInterval, assertValidBandRule, bandRuleProblems, bandWindow } from './band-rule.js';
export { bandsMayOverlap } from './band-overlap.js';
export { formatClockTime, formatLocalDate, isoWeekday, parseClockTime, parseLocalDate } from './calendar.js';
export { formatApiDateTime, formatLocalIso, localDateOf, localOffsetString } from './format.js';
export { materialiseBand } from './materialise.js';
export { canonicalTimeZone, instantOfWallClock, isValidTimeZone, offsetMsAt } from './zone.js';
