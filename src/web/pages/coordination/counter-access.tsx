// « Accès au comptoir »: the coordinator decides who may use the counter in its
// territory (GET/POST /v1/admin/people, POST …/:id/disable). A pharmacist added
// here logs in at once (with Pro Santé Connect its login is its RPPS; the
// embedded provider needs a password); one whose access is withdrawn is logged
// out everywhere and cannot log in again.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';

interface Person { id: string; login: string; name: string; role: string; territories: string[]; disabled: boolean }

const ROLE: Record<string, string> = { pharmacist: 'Pharmacien(ne)', regulator: 'Régulateur (SAS)' };

/** A refusal of POST /v1/admin/people in words: what is wrong, what to do. */
async function refusal(response: Response): Promise<string> {
  const problem = (await response.json().catch(() => ({}))) as { errors?: { field: string }[] };
  const field = problem.errors?.[0]?.field ?? '';
  if (response.status === 409) return 'Cet identifiant est déjà enregistré (un accès retiré garde le sien) : choisissez-en un autre.';
  if (response.status === 403) return 'Vous ne gérez pas ce territoire : l\'accès n\'a pas été créé.';
  if (response.status === 400) {
    if (field.endsWith('login')) return 'Identifiant : 3 caractères au moins, lettres sans accent, chiffres et . _ @ - seulement (avec Pro Santé Connect, le RPPS).';
    if (field.endsWith('password')) return 'Mot de passe : 12 caractères au moins (une phrase de passe), sans caractère de contrôle.';
    if (field.endsWith('name')) return 'Indiquez le nom de la personne ou de l\'officine.';
    return 'Vérifiez le formulaire et réessayez.';
  }
  return 'L\'accès n\'a pas été créé. Réessayez ; si cela persiste, contactez le support.';
}

export function CounterAccess({ territory }: { territory: string }) {
  const [people, setPeople] = useState<Person[] | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    void (async () => {
      const response = await api(`/v1/admin/people?territory=${encodeURIComponent(territory)}`).catch(() => null);
      if (response?.ok !== true) { setMessage('La liste des accès ne peut pas être chargée pour le moment. Réessayez dans un instant.'); return; }
      setPeople(((await response.json()) as { people: Person[] }).people);
    })();
  }, [territory, reloads]);

  const add = async (event: Event) => {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const form = new FormData(formElement);
    const value = (name: string) => String(form.get(name) ?? '').trim();
    const password = String(form.get('password') ?? '');
    setBusy(true);
    const response = await api('/v1/admin/people', {
      method: 'POST',
      body: JSON.stringify({ name: value('name'), login: value('login'), role: value('role'), territories: [territory], ...(password === '' ? {} : { password }) }),
    }).catch(() => null);
    setBusy(false);
    if (response === null) { setMessage('Pas de réseau : l\'accès n\'a pas été créé. Réessayez.'); return; }
    if (!response.ok) { setMessage(await refusal(response)); return; }
    const { person } = (await response.json()) as { person: Person };
    setMessage(`Accès ouvert pour ${person.name} (identifiant ${person.login}) : la personne peut se connecter dès maintenant.`);
    formElement.reset();
    setReloads((n) => n + 1);
  };
  const revoke = async (person: Person) => {
    if (!confirm(`Retirer l'accès au comptoir de ${person.name} ? Ses sessions ouvertes seront fermées.`)) return;
    const response = await api(`/v1/admin/people/${person.id}/disable`, { method: 'POST' }).catch(() => null);
    if (response === null) { setMessage('Pas de réseau : l\'accès n\'a pas été retiré. Réessayez.'); return; }
    if (response.status === 404) setMessage('Ce compte n\'existe plus ou n\'est pas de vos territoires : la liste est mise à jour.');
    else if (!response.ok) setMessage('L\'accès n\'a pas été retiré. Réessayez ; si cela persiste, contactez le support.');
    else setMessage(`Accès retiré pour ${person.name} : ses sessions sont fermées et l'identifiant ne permet plus de se connecter.`);
    setReloads((n) => n + 1);
  };

  const counter = (people ?? []).filter((p) => p.role in ROLE);
  return (
    <section aria-labelledby="counter-access" data-testid="counter-access">
      <h2 id="counter-access">Accès au comptoir</h2>
      {message !== '' ? <p role="status" data-testid="counter-access-message">{message}</p> : null}
      {people === null ? <p aria-busy="true">Chargement des accès…</p> : counter.length === 0 ? <p class="empty">Personne n'a encore accès au comptoir dans ce territoire.</p> : (
        <table>
          <thead><tr><th scope="col">Nom</th><th scope="col">Identifiant</th><th scope="col">Rôle</th><th scope="col">Accès</th></tr></thead>
          <tbody>
            {counter.map((p) => (
              <tr key={p.id} data-login={p.login}>
                <td>{p.name}</td><td>{p.login}</td><td>{ROLE[p.role]}</td>
                <td>{p.disabled ? 'Retiré'
                  : <button type="button" class="secondary outline" onClick={() => void revoke(p)} aria-label={`Retirer l'accès de ${p.name}`}>Retirer l'accès</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={add} aria-labelledby="new-access">
        <h3 id="new-access">Ouvrir un accès</h3>
        <div class="grid">
          <div><label for="access-name">Nom (personne ou officine)</label><input id="access-name" name="name" required maxLength={200} autoComplete="off" /></div>
          <div>
            <label for="access-login">Identifiant de connexion</label>
            <input id="access-login" name="login" required maxLength={200} autoComplete="off" aria-describedby="access-login-help" />
            <small id="access-login-help">Avec Pro Santé Connect : le RPPS (11 chiffres).</small>
          </div>
          <div><label for="access-role">Rôle</label><select id="access-role" name="role"><option value="pharmacist">Pharmacien(ne)</option><option value="regulator">Régulateur (SAS)</option></select></div>
        </div>
        <label for="access-password">Mot de passe (fournisseur d'identité intégré seulement)</label>
        <input id="access-password" name="password" type="password" autoComplete="new-password" aria-describedby="access-password-help" />
        <small id="access-password-help">12 caractères au moins ; laissez vide avec Pro Santé Connect. Transmettez-le à la personne de vive voix.</small>
        <button type="submit" disabled={busy}>Ouvrir l'accès</button>
      </form>
    </section>
  );
}
