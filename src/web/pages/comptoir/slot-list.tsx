// The earliest compatible créneaux, nearest first on ties; a créneau taken
// elsewhere is greyed out as soon as the counter socket says so.
import { distanceLabel, MODALITY_LABELS, PROFESSION_LABELS, when } from './labels.js';
import type { Candidate } from './types.js';

export function SlotList({ candidates, taken, communeName, busy, onHold }: {
  candidates: Candidate[]; taken: ReadonlySet<string>; communeName: (code: string) => string; busy: boolean; onHold: (c: Candidate) => void;
}) {
  if (candidates.length === 0) {
    return <p role="status">Aucun créneau d'astreinte compatible dans le délai. Orientez le patient vers le 15 (régulation) si son état le justifie, ou recommencez un peu plus tard.</p>;
  }
  return (
    <section aria-labelledby="slots-title">
      <h2 id="slots-title">Créneaux proposés</h2>
      <ul class="slots" aria-live="polite">
        {candidates.map((c) => {
          const gone = taken.has(c.slot.id);
          return (
            <li key={c.slot.id} class={gone ? 'slot taken' : 'slot'} data-slot-id={c.slot.id} data-testid="slot" aria-disabled={gone}>
              <div>
                <strong>{when(c.slot.start)}</strong>
                <br />{c.professional.name} — {PROFESSION_LABELS[c.professional.profession] ?? c.professional.profession}
                <br /><small>{MODALITY_LABELS[c.slot.modality] ?? c.slot.modality} · {communeName(c.site.commune)}{c.distanceKm !== undefined ? ` · à ${distanceLabel(c.distanceKm)}` : ''}</small>
              </div>
              {gone
                ? <span class="gone">Pris ailleurs</span>
                : <button type="button" disabled={busy} onClick={() => onHold(c)} aria-label={`Retenir le créneau du ${when(c.slot.start)} avec ${c.professional.name}`}>Retenir</button>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
