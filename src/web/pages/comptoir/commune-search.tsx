// The patient's commune, searched by name or postal code among the
// territory's communes (GET /v1/territories/:id/communes, loaded once).
import { useState } from 'preact/hooks';
import type { Commune } from './types.js';

const fold = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[-']/g, ' ');

export function matchingCommunes(communes: Commune[], query: string): Commune[] {
  const q = fold(query.trim());
  if (q === '') return [];
  return communes.filter((c) => fold(c.name).includes(q) || c.postalCodes.some((p) => p.startsWith(q)) || c.code.startsWith(q)).slice(0, 8);
}

export function CommuneSearch({ communes, selected, onSelect }: { communes: Commune[]; selected: Commune | null; onSelect: (c: Commune | null) => void }) {
  const [query, setQuery] = useState('');
  const found = selected === null ? matchingCommunes(communes, query) : [];
  if (selected !== null) {
    return (
      <p>
        Commune du patient : <strong data-testid="commune-chosen">{selected.name} ({selected.postalCodes.join(', ') || selected.code})</strong>{' '}
        <button type="button" class="secondary outline inline" onClick={() => { onSelect(null); setQuery(''); }}>Changer</button>
      </p>
    );
  }
  return (
    <div>
      <label for="commune-query">Commune du patient (nom ou code postal)</label>
      <input id="commune-query" type="search" autocomplete="off" value={query} placeholder="ex. Vénissieux ou 69200"
        aria-describedby="commune-help" onInput={(e) => setQuery(e.currentTarget.value)} />
      <small id="commune-help">
        {communes.length === 0 ? 'Chargement des communes de la CPTS…'
          : query.trim() !== '' && found.length === 0 ? "Aucune commune de la CPTS ne correspond : le patient relève peut-être d'un autre territoire."
            : `${communes.length} communes desservies par la CPTS.`}
      </small>
      {found.length > 0 && (
        <ul class="commune-results" aria-label="Communes trouvées">
          {found.map((c) => (
            <li key={c.code}><button type="button" class="secondary outline" onClick={() => onSelect(c)}>{c.name} ({c.postalCodes.join(', ') || c.code})</button></li>
          ))}
        </ul>
      )}
    </div>
  );
}
