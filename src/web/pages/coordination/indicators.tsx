// The CPTS contract's indicators for the week: delay to appointment, share
// within 48 h, fill rate by profession, requests by origin and orientation,
// with the CSV export (the same numbers, for the ARS/CPAM report).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { BarChart } from './bar-chart.js';

interface Report {
  period: { from: string; to: string };
  requests: { total: number; byOrigin: Record<string, number>; byOrientation: Record<string, number> };
  delays: { toBook: number; booked: number; bookedWithin48h: number; shareWithin48h: number | null; medianMinutes: number | null; p90Minutes: number | null };
  appointments: { total: number; booked: number; honoured: number; noShow: number; cancelled: number };
  fillRate: { profession: string; bandSlots: number; bookedSlots: number; rate: number | null }[];
}

const ORIGINS: Record<string, string> = { regulator: 'Régulation SAS', pharmacist: 'Pharmacie', professional: 'Professionnel', coordinator: 'Coordination' };
const ORIENTATIONS: Record<string, string> = { 'call-15': 'Orientation 15', 'pharmacy-protocol': 'Protocole pharmacie', book: 'Créneau', none: 'Non triée' };
const PROFESSIONS: Record<string, string> = {
  gp: 'Médecin généraliste', nurse: 'Infirmier·e', physio: 'Kinésithérapeute', pharmacist: 'Pharmacien·ne',
  midwife: 'Sage-femme', dentist: 'Chirurgien·ne-dentiste', paediatrician: 'Pédiatre',
};
const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)} %`);
const hours = (minutes: number | null) => (minutes === null ? '—' : minutes < 90 ? `${Math.round(minutes)} min` : `${(minutes / 60).toFixed(1).replace('.', ',')} h`);

export function Indicators({ territory, refresh }: { territory: string; refresh: number }) {
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    void (async () => {
      const response = await api(`/v1/indicators?territory=${encodeURIComponent(territory)}&period=week`).catch(() => null);
      if (response === null || !response.ok) {
        setError(response?.status === 403 ? "Les indicateurs sont réservés à la coordination du territoire." : 'Les indicateurs ne sont pas disponibles pour le moment. Réessayez dans un instant.');
        return;
      }
      setError('');
      setReport((await response.json()) as Report);
    })();
  }, [territory, refresh]);
  if (error !== '') return <p role="alert">{error}</p>;
  if (report === null) return <p aria-busy="true">Chargement des indicateurs…</p>;
  const entries = (values: Record<string, number>, labels: Record<string, string>) =>
    Object.entries(values).filter(([, v]) => v > 0).map(([k, v]) => ({ label: labels[k] ?? k, value: v }));
  const d = report.delays;
  const a = report.appointments;
  return (
    <section aria-labelledby="indicators">
      <h2 id="indicators">Indicateurs de la semaine ({report.period.from.split('-').reverse().join('/')} – {report.period.to.split('-').reverse().join('/')})</h2>
      <div class="kpis">
        <p data-testid="kpi-appointments"><strong>{a.total}</strong> rendez-vous ({a.honoured} honorés, {a.noShow} absences, {a.cancelled} annulés)</p>
        <p data-testid="kpi-48h"><strong>{percent(d.shareWithin48h)}</strong> des demandes à orienter vers un créneau obtenues sous 48 h ({d.bookedWithin48h}/{d.toBook})</p>
        <p data-testid="kpi-delay">Délai jusqu'au rendez-vous : médiane <strong>{hours(d.medianMinutes)}</strong>, 90 % sous <strong>{hours(d.p90Minutes)}</strong></p>
      </div>
      <div class="charts">
        <BarChart testId="chart-fill" title="Taux de remplissage des astreintes par profession" max={1}
          bars={report.fillRate.map((f) => ({ label: PROFESSIONS[f.profession] ?? f.profession, value: f.rate ?? 0, display: `${percent(f.rate)} (${f.bookedSlots}/${f.bandSlots})` }))} />
        <BarChart testId="chart-origin" title={`Demandes par origine (${report.requests.total})`} bars={entries(report.requests.byOrigin, ORIGINS)} />
        <BarChart testId="chart-orientation" title="Demandes par orientation" bars={entries(report.requests.byOrientation, ORIENTATIONS)} />
      </div>
      <a href={`/v1/indicators?territory=${encodeURIComponent(territory)}&period=week&format=csv`} download role="button" class="secondary">Exporter en CSV</a>
    </section>
  );
}
