// The booking confirmed, printable for the patient: date, place, professional.
import { MODALITY_LABELS, PROFESSION_LABELS, when } from './labels.js';
import type { Booking, Candidate } from './types.js';

export function Confirmation({ booking, candidate, communeName, patientName, onNext }: {
  booking: Booking; candidate: Candidate; communeName: (code: string) => string; patientName: string; onNext: () => void;
}) {
  const modality = candidate.slot.modality;
  return (
    <section class="confirmation" aria-labelledby="confirmation-title" data-testid="confirmation">
      <h2 id="confirmation-title">Rendez-vous confirmé</h2>
      <dl>
        <dt>Patient</dt><dd>{patientName}</dd>
        <dt>Date</dt><dd data-testid="confirmation-date">{when(booking.start)}</dd>
        <dt>Professionnel·le</dt><dd data-testid="confirmation-professional">{booking.professional.name} — {PROFESSION_LABELS[candidate.professional.profession] ?? ''}</dd>
        <dt>Lieu</dt><dd data-testid="confirmation-place">{modality === 'office' ? `Cabinet à ${communeName(candidate.site.commune)}` : `${MODALITY_LABELS[modality] ?? modality} (${communeName(candidate.site.commune)})`}</dd>
      </dl>
      <p>Le professionnel vous rappellera au numéro donné si besoin. En cas d'aggravation, appelez le 15.</p>
      <p class="print-only"><small>Référence : {booking.id}</small></p>
      <div class="actions no-print">
        <button type="button" onClick={() => window.print()}>Imprimer pour le patient</button>
        <button type="button" class="secondary" onClick={onNext}>Patient suivant</button>
      </div>
    </section>
  );
}
