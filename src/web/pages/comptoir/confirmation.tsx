// The booking confirmed, printable for the patient: date, place, professional.
// The place's street address is not in a match answer: it is read once the
// booking is made (GET /v1/slots/:id); until then, or without one, the commune.
import { useEffect, useState } from 'preact/hooks';
import { loadSlot } from '../../slot-details.js';
import { MODALITY_LABELS, PROFESSION_LABELS, when } from './labels.js';
import type { Booking, Candidate } from './types.js';

function useAddress(slotId: string): string | undefined {
  const [address, setAddress] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void loadSlot(slotId).then((loaded) => {
      if (live && loaded.kind === 'slot') setAddress(loaded.detail.site.address);
    });
    return () => { live = false; };
  }, [slotId]);
  return address;
}

export function Confirmation({ booking, candidate, communeName, patientName, onNext }: {
  booking: Booking; candidate: Candidate; communeName: (code: string) => string; patientName: string; onNext: () => void;
}) {
  const modality = candidate.slot.modality;
  const address = useAddress(candidate.slot.id);
  const commune = communeName(candidate.site.commune);
  return (
    <section class="confirmation" aria-labelledby="confirmation-title" data-testid="confirmation">
      <h2 id="confirmation-title">Rendez-vous confirmé</h2>
      <dl>
        <dt>Patient</dt><dd>{patientName}</dd>
        <dt>Date</dt><dd data-testid="confirmation-date">{when(booking.start)}</dd>
        <dt>Professionnel·le</dt><dd data-testid="confirmation-professional">{booking.professional.name} — {PROFESSION_LABELS[candidate.professional.profession] ?? ''}</dd>
        <dt>Lieu</dt><dd data-testid="confirmation-place">{modality === 'office'
          ? (address !== undefined ? `Cabinet, ${address}` : `Cabinet à ${commune}`)
          : `${MODALITY_LABELS[modality] ?? modality} (${commune})`}</dd>
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
