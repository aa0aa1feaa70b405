// The week's on-call bands (« astreintes ») of every territory the coordinator
// serves, or of one (the filter): listed from GET /v1/admin/bands; a band
// organised by another CPTS (a member professional's) is shown, not changed;
// created with « Nouvelle astreinte » (one day: POST /v1/admin/bands, its
// slots appear in the calendar at once), edited in place (« Modifier »:
// band-edit-form.tsx), cancelled (DELETE: refused while a prise en charge is
// booked on it, said plainly).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { BandEditForm } from './band-edit-form.js';

interface Site { id: string; label: string | null; commune: string }
interface Professional { id: string; familyName: string; givenName: string; modalities: string[]; active: boolean; sites: Site[] }
interface Band { id: string; daysOfWeek: number[]; localStart: string; localEnd: string; slotMinutes: number; validFrom: string; validUntil: string | null; territory: string; professional: { name: string }; site: Site }

const ALL = '';

const DAYS = ['', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.', 'dim.'];
const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const isoWeekday = (date: string) => ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;

export function BandsPanel({ territory, territories, refresh, onChange }: { territory: string; territories: string[]; refresh: number; onChange: () => void }) {
  const [shown, setShown] = useState(ALL);
  const [professionals, setProfessionals] = useState<Professional[]>([]);
  const [chosen, setChosen] = useState('');
  const [bands, setBands] = useState<Band[] | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<Band | null>(null);
  useEffect(() => {
    void (async () => {
      const response = await api(`/v1/admin/professionals?territory=${encodeURIComponent(territory)}`).catch(() => null);
      if (response?.ok !== true) return;
      const list = ((await response.json()) as { professionals: Professional[] }).professionals.filter((p) => p.active && p.sites.length > 0);
      setProfessionals(list);
      setChosen(list[0]?.id ?? '');
    })();
  }, [territory]);
  useEffect(() => {
    void (async () => {
      const only = shown === ALL ? '' : `&territory=${encodeURIComponent(shown)}`;
      const response = await api(`/v1/admin/bands?from=${encodeURIComponent(new Date().toISOString())}${only}`).catch(() => null);
      if (response?.ok !== true) { setMessage('Les astreintes ne peuvent pas être chargées pour le moment. Réessayez dans un instant.'); return; }
      setBands(((await response.json()) as { bands: Band[] }).bands);
    })();
  }, [shown, refresh]);

  const professional = professionals.find((p) => p.id === chosen);
  // The territory column when the list can mix them: several territories, or a member professional's band.
  const withTerritory = territories.length > 1 || (bands ?? []).some((b) => b.territory !== territory);
  const create = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const day = String(form.get('day') ?? '');
    const [start, end] = [String(form.get('start') ?? ''), String(form.get('end') ?? '')];
    if (professional === undefined || day === '' || start === '' || end === '') { setMessage('Choisissez le professionnel, le lieu, le jour, le début et la fin.'); return; }
    setBusy(true);
    const response = await api('/v1/admin/bands', {
      method: 'POST',
      body: JSON.stringify({
        professionalId: professional.id, siteId: String(form.get('site')), daysOfWeek: [isoWeekday(day)], localStart: start, localEnd: end,
        slotMinutes: Number(form.get('slotMinutes')), modality: professional.modalities[0] ?? 'office', validFrom: day, validUntil: day,
      }),
    }).catch(() => null);
    setBusy(false);
    if (response === null) { setMessage('Pas de réseau : l\'astreinte n\'a pas été créée. Réessayez.'); return; }
    if (response.status === 409) { setMessage('Ce professionnel a déjà une astreinte sur ce créneau horaire : choisissez d\'autres heures ou annulez l\'autre astreinte.'); return; }
    if (!response.ok) { setMessage('L\'astreinte n\'a pas été créée : vérifiez les heures (la fin après le début, par pas de 5 minutes au moins) et réessayez.'); return; }
    const answer = (await response.json()) as { slotsCreated: number };
    setMessage(`Astreinte créée : ${answer.slotsCreated} créneau(x) ouvert(s) à la régulation.`);
    onChange();
  };
  const cancel = async (band: Band) => {
    const response = await api(`/v1/admin/bands/${band.id}`, { method: 'DELETE' }).catch(() => null);
    if (response === null) { setMessage('Pas de réseau : l\'astreinte n\'a pas été annulée. Réessayez.'); return; }
    if (response.status === 409) {
      const { bookings } = (await response.json()) as { bookings: string[] };
      setMessage(`Astreinte maintenue : ${bookings.length} prise(s) en charge y sont réservées. Annulez-les d'abord (ou déclarez le professionnel indisponible, ce qui prévient les demandeurs), puis recommencez.`);
      return;
    }
    if (!response.ok) { setMessage('L\'astreinte n\'a pas pu être annulée. Réessayez ; si cela persiste, contactez le support.'); return; }
    if (editing?.id === band.id) setEditing(null);
    setMessage('Astreinte annulée : ses créneaux libres sont retirés.');
    onChange();
  };

  return (
    <section aria-labelledby="bands" data-testid="bands">
      <h2 id="bands">Astreintes</h2>
      {message !== '' ? <p role="status" data-testid="bands-message">{message}</p> : null}
      {territories.length > 1 ? (
        <div>
          <label for="bands-territory">Territoire des astreintes</label>
          <select id="bands-territory" value={shown} onChange={(e) => setShown((e.target as HTMLSelectElement).value)}>
            <option value={ALL}>Tous mes territoires</option>
            {territories.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </div>
      ) : null}
      {bands === null ? <p aria-busy="true">Chargement des astreintes…</p> : bands.length === 0 ? <p class="empty">Aucune astreinte cette semaine.</p> : (
        <table>
          <thead><tr><th scope="col">Professionnel</th>{withTerritory ? <th scope="col">Territoire</th> : null}<th scope="col">Jours</th><th scope="col">Horaires</th><th scope="col">Lieu</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
          <tbody>
            {bands.map((b) => (
              <tr key={b.id} data-band-id={b.id} data-territory={b.territory}>
                <td>{b.professional.name}</td>
                {withTerritory ? <td>{b.territory}</td> : null}
                <td>{b.validUntil === b.validFrom ? frDate(b.validFrom) : `${b.daysOfWeek.map((d) => DAYS[d]).join(' ')} dès le ${frDate(b.validFrom)}${b.validUntil === null ? '' : ` jusqu'au ${frDate(b.validUntil)}`}`}</td>
                <td>{b.localStart}–{b.localEnd}</td>
                <td>{b.site.label ?? b.site.commune}</td>
                <td>{!territories.includes(b.territory) ? <small>Gérée par la CPTS {b.territory}</small> : <>
                  <button type="button" class="secondary" onClick={() => { setEditing(b); setMessage(''); }} aria-label={`Modifier l'astreinte de ${b.professional.name}, ${b.localStart}–${b.localEnd}`}>Modifier</button>{' '}
                  <button type="button" class="secondary outline" onClick={() => void cancel(b)} aria-label={`Annuler l'astreinte de ${b.professional.name}, ${b.localStart}–${b.localEnd}`}>Annuler</button>
                </>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing !== null
        ? <BandEditForm key={editing.id} band={editing} onCancel={() => setEditing(null)} onDone={(said) => { setEditing(null); setMessage(said); onChange(); }} />
        : null}
      <form onSubmit={create} aria-labelledby="new-band">
        <h3 id="new-band">Nouvelle astreinte</h3>
        <label for="band-professional">Professionnel d'astreinte</label>
        <select id="band-professional" name="professional" value={chosen} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)} required>
          {professionals.map((p) => <option key={p.id} value={p.id}>{p.givenName} {p.familyName}</option>)}
        </select>
        <label for="band-site">Lieu</label>
        <select id="band-site" name="site" required>
          {(professional?.sites ?? []).map((s) => <option key={s.id} value={s.id}>{s.label ?? s.commune}</option>)}
        </select>
        <div class="grid">
          <div><label for="band-day">Jour</label><input id="band-day" type="date" name="day" required /></div>
          <div><label for="band-start">Début</label><input id="band-start" type="time" name="start" step={300} required /></div>
          <div><label for="band-end">Fin</label><input id="band-end" type="time" name="end" step={300} required /></div>
          <div><label for="band-slot">Durée d'un créneau (min)</label><input id="band-slot" type="number" name="slotMinutes" min={5} max={240} value={30} required /></div>
        </div>
        <button type="submit" disabled={busy}>Créer l'astreinte</button>
      </form>
    </section>
  );
}
