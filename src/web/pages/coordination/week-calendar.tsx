// The week of on-call bands as a calendar: one column per day, one line per
// professional's run of consecutive slots (« 14:00–20:00 · A. Martin · 3/18
// pris »); opening a line shows its slots, where a free one is blocked and a
// blocked one offered again. Read from GET /v1/admin/slots.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';

interface Slot { id: string; start: string; end: string; status: string; professional: { id: string; name: string } }
interface Run { key: string; professional: string; start: string; end: string; slots: Slot[] }

const DAY = 86_400_000;
const DAY_NAMES = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const STATUS: Record<string, string> = { free: 'libre', held: 'réservé un instant', booked: 'pris', blocked: 'bloqué' };
const hhmm = (iso: string) => iso.slice(11, 16);

function monday(now: Date): Date {
  const day = new Date(now);
  day.setHours(0, 0, 0, 0);
  day.setDate(day.getDate() - ((day.getDay() + 6) % 7));
  return day;
}

/** Consecutive slots of one professional on one day form a run (a band's afternoon). */
function runsOf(slots: Slot[]): Map<string, Run[]> {
  const days = new Map<string, Run[]>();
  const open = new Map<string, Run>();
  for (const slot of slots) {
    const day = slot.start.slice(0, 10);
    const key = `${day}/${slot.professional.id}`;
    const run = open.get(key);
    if (run !== undefined && run.end === slot.start) { run.slots.push(slot); run.end = slot.end; continue; }
    const next: Run = { key: `${key}/${slot.start}`, professional: slot.professional.name, start: slot.start, end: slot.end, slots: [slot] };
    open.set(key, next);
    days.set(day, [...(days.get(day) ?? []), next]);
  }
  return days;
}

export function WeekCalendar({ territory, refresh, onChange }: { territory: string; refresh: number; onChange: () => void }) {
  const [start, setStart] = useState(() => monday(new Date()));
  const [slots, setSlots] = useState<Slot[] | null>(null);
  const [message, setMessage] = useState('');
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    void (async () => {
      const from = start.toISOString();
      const until = new Date(start.getTime() + 7 * DAY + 3_600_000).toISOString(); // a DST week is 167 or 169 h
      const response = await api(`/v1/admin/slots?territory=${encodeURIComponent(territory)}&from=${encodeURIComponent(from)}&until=${encodeURIComponent(until)}`).catch(() => null);
      if (response === null || !response.ok) { setMessage('Le planning ne peut pas être chargé pour le moment. Réessayez dans un instant.'); return; }
      setSlots(((await response.json()) as { slots: Slot[] }).slots);
    })();
  }, [territory, start, refresh, reloads]);

  const toggle = async (slot: Slot) => {
    const action = slot.status === 'blocked' ? 'unblock' : 'block';
    const response = await api(`/v1/admin/slots/${slot.id}/${action}`, { method: 'POST', ...(action === 'block' ? { body: JSON.stringify({ reason: 'bloqué par la coordination' }) } : {}) }).catch(() => null);
    if (response?.ok === true) { setMessage(''); setReloads((n) => n + 1); onChange(); return; }
    setMessage(response?.status === 409
      ? 'Ce créneau vient d\'être pris ou a changé : le planning est mis à jour. Pour libérer un créneau pris, annulez d\'abord la prise en charge.'
      : 'Le créneau n\'a pas pu être modifié. Réessayez ; si cela persiste, contactez le support.');
    setReloads((n) => n + 1);
  };

  const days = runsOf(slots ?? []);
  const dates = Array.from({ length: 7 }, (_, i) => new Date(start.getTime() + i * DAY + 2 * 3_600_000));
  const keyOf = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return (
    <section aria-labelledby="week">
      <h2 id="week">Astreintes de la semaine du {start.toLocaleDateString('fr-FR')}</h2>
      <div role="group">
        <button type="button" class="secondary outline" onClick={() => setStart(monday(new Date(start.getTime() - 3 * DAY)))}>Semaine précédente</button>
        <button type="button" class="secondary outline" onClick={() => setStart(monday(new Date()))}>Cette semaine</button>
        <button type="button" class="secondary outline" onClick={() => setStart(monday(new Date(start.getTime() + 8 * DAY)))}>Semaine suivante</button>
      </div>
      {message !== '' ? <p role="alert">{message}</p> : null}
      {slots === null ? <p aria-busy="true">Chargement du planning…</p> : (
        <div class="week" data-testid="week">
          {dates.map((date, i) => (
            <div class="day" key={keyOf(date)}>
              <h3>{DAY_NAMES[i]} {date.getDate()}</h3>
              {(days.get(keyOf(date)) ?? []).map((run) => {
                const taken = run.slots.filter((s) => s.status === 'booked').length;
                return (
                  <details key={run.key} data-run={run.key}>
                    <summary>{hhmm(run.start)}–{hhmm(run.end)} · {run.professional} · {taken}/{run.slots.length} pris</summary>
                    {run.slots.map((s) => (
                      <button type="button" key={s.id} data-slot-id={s.id} class={`slot slot-${s.status} secondary outline`} disabled={s.status === 'booked' || s.status === 'held'}
                        aria-label={`${hhmm(s.start)} ${STATUS[s.status] ?? s.status}${s.status === 'free' ? ' : bloquer' : s.status === 'blocked' ? ' : rouvrir' : ''}`}
                        onClick={() => void toggle(s)}>
                        {hhmm(s.start)} {STATUS[s.status] ?? s.status}
                      </button>
                    ))}
                  </details>
                );
              })}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
