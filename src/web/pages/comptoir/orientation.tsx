// The triage's orientation, said plainly: call the 15 now, the pharmacy
// protocol and why, or a consultation within a delay.
import { delayLabel, PROFESSION_LABELS } from './labels.js';
import type { Triage } from './types.js';

export function Orientation({ triage }: { triage: Triage }) {
  if (triage.orientation === 'call-15') {
    return (
      <section class="orientation call-15" role="alert" data-testid="orientation">
        <h2>Appelez le 15 maintenant</h2>
        <p>Orientation 15 : ne faites pas attendre le patient, composez le 15 (SAMU) depuis l'officine et restez auprès de lui.</p>
        <p><small>Pourquoi : {triage.reason}</small></p>
      </section>
    );
  }
  if (triage.orientation === 'pharmacy-protocol') {
    return (
      <section class="orientation protocol" role="status" data-testid="orientation">
        <h2>Prise en charge à l'officine : protocole pharmacien</h2>
        <p>Le patient peut être pris en charge au comptoir selon le protocole de coopération, sans rendez-vous médical.</p>
        <p><small>Pourquoi : {triage.reason}</small></p>
      </section>
    );
  }
  const who = triage.professions.map((p) => PROFESSION_LABELS[p] ?? p).join(', ');
  return (
    <section class="orientation book" role="status" data-testid="orientation">
      <h2>Consultation sous {delayLabel(triage.maxDelayMinutes)}</h2>
      <p>Avec : {who}.</p>
      <p><small>Pourquoi : {triage.reason}</small></p>
    </section>
  );
}
