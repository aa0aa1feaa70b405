// The triage rule-set versions of the territory, the one in force marked.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';

interface Versions { inForce: number; versions: { version: number; source: string; createdAt: string | null; note: string | null; rules: number }[] }

export function RuleSetVersions({ territory }: { territory: string }) {
  const [data, setData] = useState<Versions | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    void (async () => {
      const response = await api(`/v1/territories/${encodeURIComponent(territory)}/rule-set/versions`).catch(() => null);
      if (response === null || !response.ok) { setError("Les versions des règles d'orientation ne sont pas disponibles. Réessayez plus tard."); return; }
      setData((await response.json()) as Versions);
    })();
  }, [territory]);
  return (
    <section aria-labelledby="rule-sets">
      <h2 id="rule-sets">Règles d'orientation (triage)</h2>
      {error !== '' ? <p role="alert">{error}</p> : data === null ? <p aria-busy="true">Chargement…</p> : (
        <table data-testid="rule-set-versions">
          <thead><tr><th scope="col">Version</th><th scope="col">Origine</th><th scope="col">Date</th><th scope="col">Règles</th><th scope="col">Note</th></tr></thead>
          <tbody>
            {data.versions.map((v) => (
              <tr key={v.version}>
                <td>{v.version}{v.version === data.inForce ? <strong> (en vigueur)</strong> : null}</td>
                <td>{v.source === 'national-default' ? 'Référentiel national' : 'CPTS'}</td>
                <td>{v.createdAt === null ? '—' : new Date(v.createdAt).toLocaleDateString('fr-FR')}</td>
                <td>{v.rules}</td>
                <td>{v.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
