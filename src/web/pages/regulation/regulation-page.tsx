// Régulation (issue 17): the page the SAS's booking link (Slot.comment) opens for a
// regulator: the slot, the professional, the place; the patient's details; booked
// through POST /v1/bookings (idempotent: one key per page, so a retry never books twice).
// When the slot is gone, it says so and offers the next free ones.
import { useEffect, useState } from 'preact/hooks';
import { logout, type Session } from '../../api.js';
import { book, loadSlot, nextSlots, type BookingAnswer, type Candidate, type Loaded, type SlotDetail } from './slot-api.js';
import { MODALITY_LABELS, PROFESSION_LABELS, slotWhen } from './words.js';

const FIELD_HELP: Record<string, string> = {
  'body.patient.name': 'Indiquez le nom ou les initiales du patient.',
  'body.patient.phone': 'Indiquez un numéro de téléphone valide pour le rappel (chiffres, espaces, + au début).',
  'body.patient.age': 'L\'âge doit être un nombre entre 0 et 130.',
};

function linkTo(slotId: string): string {
  return `/app/regulation?creneau=${encodeURIComponent(slotId)}`;
}

function Alternatives({ candidates, timeZone }: { candidates: Candidate[]; timeZone: string }) {
  if (candidates.length === 0) return <p>Aucun autre créneau libre n'a été trouvé pour l'instant : orientez le patient autrement ou réessayez plus tard.</p>;
  return (
    <ul data-testid="alternatives">
      {candidates.map((c) => (
        <li key={c.slot.id}>
          <a href={linkTo(c.slot.id)}>{slotWhen(c.slot.start, c.slot.end, timeZone)}</a> — {c.professional.name}
          {c.distanceKm !== undefined ? ` (${c.distanceKm.toFixed(1).replace('.', ',')} km)` : ''}
        </li>
      ))}
    </ul>
  );
}

function SlotSummary({ detail }: { detail: SlotDetail }) {
  const { slot, professional, site, territory } = detail;
  return (
    <article aria-labelledby="slot-title">
      <h2 id="slot-title" data-testid="slot-when">{slotWhen(slot.start, slot.end, territory.timeZone)}</h2>
      <p>
        <strong data-testid="slot-professional">{professional.name}</strong> — {PROFESSION_LABELS[professional.profession] ?? professional.profession}
        <br />Consultation {MODALITY_LABELS[slot.modality] ?? slot.modality}
        <br /><span data-testid="slot-place">{site.address ?? site.communeName ?? site.commune}</span>
        {territory.name !== undefined ? <><br /><small>CPTS {territory.name}</small></> : null}
      </p>
    </article>
  );
}

function BookingForm({ detail, onBooked }: { detail: SlotDetail; onBooked: (answer: BookingAnswer) => void }) {
  const [key] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const age = String(form.get('age') ?? '').trim();
    const sex = String(form.get('sex') ?? '');
    setBusy(true);
    const answer = await book(detail.slot.id, {
      name: String(form.get('name') ?? '').trim(), phone: String(form.get('phone') ?? '').trim(),
      ...(age !== '' ? { age: Number(age) } : {}), ...(sex === 'female' || sex === 'male' ? { sex } : {}),
    }, key);
    setBusy(false);
    if (answer.kind === 'champ') setProblems(answer.fields.map((f) => FIELD_HELP[f] ?? 'Vérifiez les informations du patient.'));
    else onBooked(answer);
  };
  return (
    <form onSubmit={submit} aria-describedby="form-problems">
      <h3>Patient</h3>
      <label>Nom ou initiales<input name="name" required maxLength={100} autoComplete="off" /></label>
      <label>Téléphone pour le rappel<input name="phone" type="tel" required autoComplete="off" placeholder="06 12 34 56 78" /></label>
      <div class="grid">
        <label>Âge (facultatif)<input name="age" type="number" min={0} max={130} inputMode="numeric" /></label>
        <label>Sexe (facultatif)
          <select name="sex"><option value="">—</option><option value="female">Femme</option><option value="male">Homme</option></select>
        </label>
      </div>
      <div id="form-problems" role="alert">{problems.map((p) => <p key={p}>{p}</p>)}</div>
      <button type="submit" aria-busy={busy} disabled={busy}>Réserver ce créneau</button>
    </form>
  );
}

function Outcome({ answer, detail }: { answer: BookingAnswer; detail: SlotDetail }) {
  if (answer.kind === 'reserve') {
    return (
      <section role="status" data-testid="booked">
        <h2>Rendez-vous confirmé</h2>
        <p>Le créneau est réservé pour le patient ; {detail.professional.name} est prévenu·e. Donnez au patient la date, l'heure et le lieu ci-dessus.</p>
      </section>
    );
  }
  if (answer.kind === 'pris') {
    return (
      <section role="alert" data-testid="slot-gone">
        <h2>Ce créneau vient d'être pris</h2>
        <p>Il a été réservé avant vous. Voici les prochains créneaux libres de la même profession :</p>
        <Alternatives candidates={answer.alternatives} timeZone={detail.territory.timeZone} />
      </section>
    );
  }
  if (answer.kind === 'session') {
    return <p role="alert">Votre session a expiré. <a href={`/app/auth/login?next=${encodeURIComponent(location.pathname + location.search)}`}>Reconnectez-vous</a> puis réservez à nouveau.</p>;
  }
  return <p role="alert">La réservation n'a pas pu être enregistrée (service indisponible). Réessayez dans un instant ; si cela persiste, appelez la CPTS.</p>;
}

export function RegulationPage({ session, slotId }: { session: Session; slotId: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [answer, setAnswer] = useState<BookingAnswer | null>(null);
  const [next, setNext] = useState<Candidate[] | null>(null);
  useEffect(() => { void loadSlot(slotId).then(setLoaded); }, [slotId]);
  useEffect(() => {
    if (loaded?.kind === 'slot' && !loaded.detail.slot.available) void nextSlots(loaded.detail).then(setNext);
  }, [loaded]);
  const signOut = async () => { await logout(); location.assign('/app/'); };
  return (
    <main>
      <header>
        <h1>Régulation — prise de rendez-vous</h1>
        <p><strong data-testid="person-name">{session.name}</strong> — régulation SAS</p>
      </header>
      {loaded === null ? <p aria-busy="true">Chargement du créneau…</p> : null}
      {loaded?.kind === 'introuvable'
        ? <p role="alert">Ce créneau est introuvable dans vos territoires. Vérifiez le lien reçu de la plateforme SAS, ou cherchez un autre créneau depuis la plateforme.</p>
        : null}
      {loaded?.kind === 'erreur' ? <p role="alert">Le service ne répond pas. Rechargez la page dans un instant ; si cela persiste, appelez la CPTS.</p> : null}
      {loaded?.kind === 'slot' ? (
        <>
          <SlotSummary detail={loaded.detail} />
          {answer !== null ? <Outcome answer={answer} detail={loaded.detail} />
            : loaded.detail.slot.available ? <BookingForm detail={loaded.detail} onBooked={setAnswer} />
              : (
                <section role="alert" data-testid="slot-gone">
                  <h2>Ce créneau n'est plus disponible</h2>
                  <p>Il a été réservé ou retiré depuis l'envoi du lien. Voici les prochains créneaux libres :</p>
                  {next === null ? <p aria-busy="true">Recherche…</p> : <Alternatives candidates={next} timeZone={loaded.detail.territory.timeZone} />}
                </section>
              )}
        </>
      ) : null}
      <button type="button" class="secondary" onClick={signOut}>Se déconnecter</button>
    </main>
  );
}
