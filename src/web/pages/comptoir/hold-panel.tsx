// A held créneau while the patient decides: the countdown to the hold's end,
// the call-back details, book or let go.
import { useEffect, useState } from 'preact/hooks';
import { MODALITY_LABELS, when } from './labels.js';
import type { Candidate, Hold } from './types.js';

export interface CallBack { name: string; phone: string }

function remaining(expiresAt: string): number {
  return Math.max(0, Math.round((Date.parse(expiresAt) - Date.now()) / 1000));
}

export function HoldPanel({ hold, candidate, communeName, busy, onBook, onRelease }: {
  hold: Hold; candidate: Candidate; communeName: (code: string) => string; busy: boolean;
  onBook: (callBack: CallBack) => void; onRelease: () => void;
}) {
  const [seconds, setSeconds] = useState(() => remaining(hold.expiresAt));
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  useEffect(() => {
    const timer = setInterval(() => setSeconds(remaining(hold.expiresAt)), 1000);
    return () => clearInterval(timer);
  }, [hold.expiresAt]);
  const minutes = Math.floor(seconds / 60);
  const clock = `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
  const submit = (event: Event) => {
    event.preventDefault();
    onBook({ name: name.trim(), phone: phone.trim() });
  };
  return (
    <section class="hold" aria-labelledby="hold-title">
      <h2 id="hold-title">Créneau retenu pour le patient</h2>
      <p>
        <strong>{when(candidate.slot.start)}</strong> avec {candidate.professional.name}, {MODALITY_LABELS[candidate.slot.modality] ?? ''} à {communeName(candidate.site.commune)}.
      </p>
      <p aria-live="polite" data-testid="hold-countdown" class={seconds === 0 ? 'error' : ''}>
        {seconds > 0
          ? <>Retenu encore <strong>{clock}</strong> : le temps que le patient décide.</>
          : <>Le délai est écoulé : le créneau est de nouveau libre pour tous. Vous pouvez encore réserver s'il n'a pas été pris.</>}
      </p>
      <form onSubmit={submit} aria-label="Coordonnées de rappel">
        <div class="grid-2">
          <label>Nom ou initiales du patient
            <input value={name} onInput={(e) => setName(e.currentTarget.value)} autocomplete="off" required maxLength={100} />
          </label>
          <label>Téléphone de rappel
            <input type="tel" value={phone} onInput={(e) => setPhone(e.currentTarget.value)} autocomplete="off" required placeholder="06 12 34 56 78" />
          </label>
        </div>
        <div class="actions">
          <button type="submit" aria-busy={busy} disabled={busy}>Réserver ce créneau</button>
          <button type="button" class="secondary" disabled={busy} onClick={onRelease}>Libérer le créneau</button>
        </div>
      </form>
    </section>
  );
}
