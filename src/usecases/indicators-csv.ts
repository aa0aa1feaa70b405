// The indicators as a CSV a French spreadsheet opens as is: UTF-8 with a BOM
// (or Excel guesses Windows-1252), ';' between fields (',' is the decimal
// mark in French), decimal commas, CRLF line ends (RFC 4180), one header row.
// One row per value, long format: territory;from;to;indicator;key;value, so
// that exports of several periods or territories can be stacked and pivoted.
// Empty value: not defined (a share of nothing).
import type { IndicatorsReport } from './indicators.js';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const CSV_HEADER = ['territory', 'from', 'to', 'indicator', 'key', 'value'] as const;
const BOM = '\uFEFF';

type Value = number | string | null;

export function indicatorsCsv(report: IndicatorsReport): string {
  const rows: [string, string, Value][] = [
    ['period.start', '', report.period.start],
    ['period.end', '', report.period.end],
    ['period.hours', '', report.period.hours],
    ['requests.total', '', report.requests.total],
    ...entries('requests.byOrigin', report.requests.byOrigin),
    ...entries('requests.byOrientation', report.requests.byOrientation),
    ...entries('requests.byOutcome', report.requests.byOutcome),
    ['unmatched.total', '', report.unmatched.total],
    ...entries('unmatched.byReason', report.unmatched.byReason),
    ...entries('delays', report.delays).map(([section, key, value]): [string, string, Value] => [`${section}.${key}`, '', value]),
    ...entries('appointments', report.appointments).map(([section, key, value]): [string, string, Value] => [`${section}.${key}`, '', value]),
    ...report.fillRate.flatMap((f): [string, string, Value][] => [
      ['fillRate.bandSlots', f.profession, f.bandSlots],
      ['fillRate.bookedSlots', f.profession, f.bookedSlots],
      ['fillRate.rate', f.profession, f.rate],
    ]),
  ];
  const prefix = [report.territory.id, report.period.from, report.period.to];
  const lines = [CSV_HEADER.join(';'), ...rows.map(([indicator, key, value]) => [...prefix, indicator, key, cell(value)].map(field).join(';'))];
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

function entries(section: string, values: Record<string, Value>): [string, string, Value][] {
  return Object.entries(values).map(([key, value]) => [section, key, value]);
}

function cell(value: Value): string {
  if (value === null) return '';
  return typeof value === 'number' ? String(value).replace('.', ',') : value;
}

/** Quotes a field that holds the separator, a quote or a line break. */
function field(text: string): string {
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
