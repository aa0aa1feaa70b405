// The patient at the counter: commune, age, sex, pregnancy, complaint and red flags.
import { useState } from 'preact/hooks';
import { CommuneSearch } from './commune-search.js';
import { COMPLAINT_LABELS, RED_FLAG_LABELS } from './labels.js';
import type { Commune, PatientFacts } from './types.js';

export function PatientForm({ communes, busy, onSubmit }: { communes: Commune[]; busy: boolean; onSubmit: (facts: PatientFacts) => void }) {
  const [commune, setCommune] = useState<Commune | null>(null);
  const [age, setAge] = useState('');
  const [sex, setSex] = useState<PatientFacts['sex']>('unknown');
  const [pregnant, setPregnant] = useState(false);
  const [complaint, setComplaint] = useState('');
  const [redFlags, setRedFlags] = useState<string[]>([]);
  const [missing, setMissing] = useState<string | null>(null);

  const submit = (event: Event) => {
    event.preventDefault();
    const years = Number(age);
    if (commune === null) return setMissing('Choisissez la commune du patient dans la liste.');
    if (age.trim() === '' || !Number.isInteger(years) || years < 0 || years > 130) return setMissing("Indiquez l'âge du patient en années (0 à 130).");
    if (complaint === '') return setMissing('Choisissez le motif de la demande.');
    setMissing(null);
    onSubmit({ commune, age: years, sex, pregnant: sex === 'female' && pregnant, complaint, redFlags });
  };
  const toggle = (flag: string, on: boolean) => setRedFlags((flags) => (on ? [...flags, flag] : flags.filter((f) => f !== flag)));

  return (
    <form onSubmit={submit} aria-label="Le patient">
      <CommuneSearch communes={communes} selected={commune} onSelect={setCommune} />
      <div class="grid-2">
        <label>Âge (années)
          <input type="number" inputMode="numeric" min={0} max={130} value={age} onInput={(e) => setAge(e.currentTarget.value)} required />
        </label>
        <label>Sexe
          <select value={sex} onChange={(e) => setSex(e.currentTarget.value as PatientFacts['sex'])}>
            <option value="female">Femme</option>
            <option value="male">Homme</option>
            <option value="unknown">Non précisé</option>
          </select>
        </label>
      </div>
      {sex === 'female' && (
        <label><input type="checkbox" checked={pregnant} onChange={(e) => setPregnant(e.currentTarget.checked)} /> Enceinte</label>
      )}
      <label>Motif
        <select value={complaint} onChange={(e) => setComplaint(e.currentTarget.value)} required>
          <option value="" disabled>Choisir le motif…</option>
          {Object.entries(COMPLAINT_LABELS).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
        </select>
      </label>
      <fieldset>
        <legend>Signes d'alerte présents</legend>
        <div class="flags">
          {Object.entries(RED_FLAG_LABELS).map(([code, label]) => (
            <label key={code}><input type="checkbox" name="redFlags" value={code} checked={redFlags.includes(code)} onChange={(e) => toggle(code, e.currentTarget.checked)} /> {label}</label>
          ))}
        </div>
      </fieldset>
      {missing !== null && <p role="alert" class="error">{missing}</p>}
      <button type="submit" aria-busy={busy} disabled={busy}>Orienter le patient</button>
    </form>
  );
}
