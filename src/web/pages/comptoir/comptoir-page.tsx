// /app/comptoir: the pharmacist's counter. Patient → orientation (counter
// socket `request`: triage + match, recorded) → créneaux greyed live by the
// socket's availability pushes → hold with countdown → book with the call-back
// details → printable confirmation. A créneau lost meanwhile (409) offers the
// next one. Only the commune list and a hold's release go over HTTP: the socket
// has no operation for them.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, logout, type Session } from '../../api.js';
import { Confirmation } from './confirmation.js';
import { CounterSocket, type Problem, type SocketState } from './counter-socket.js';
import { HoldPanel, type CallBack } from './hold-panel.js';
import { when } from './labels.js';
import { Orientation } from './orientation.js';
import { PatientForm } from './patient-form.js';
import { explain } from './problems.js';
import { SlotList } from './slot-list.js';
import type { Booking, Candidate, Commune, Hold, PatientFacts, RequestAnswer } from './types.js';
import './comptoir.css';

const LIVE_LABELS: Record<SocketState, string> = {
  'connexion': 'Connexion au service…',
  'en-direct': 'En direct',
  'hors-ligne': 'Hors ligne — reconnexion…',
  'session-terminee': 'Session terminée — reconnectez-vous',
};

export function ComptoirPage({ session }: { session: Session }) {
  const [live, setLive] = useState<SocketState>('connexion');
  const [communes, setCommunes] = useState<Commune[]>([]);
  const [facts, setFacts] = useState<PatientFacts | null>(null);
  const [answer, setAnswer] = useState<RequestAnswer | null>(null);
  const [taken, setTaken] = useState<ReadonlySet<string>>(new Set());
  const [held, setHeld] = useState<{ hold: Hold; candidate: Candidate; key: string } | null>(null);
  const [conflict, setConflict] = useState<{ lost: Candidate; next: Candidate | undefined } | null>(null);
  const [booked, setBooked] = useState<{ booking: Booking; candidate: Candidate; patientName: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const socket = useRef<CounterSocket | null>(null);
  const [formKey, setFormKey] = useState(0);

  useEffect(() => {
    const counter = new CounterSocket({
      onState: setLive,
      onAvailability: (changes) => setTaken((before) => {
        const next = new Set(before);
        for (const change of changes) (change.available ? next.delete(change.slotId) : next.add(change.slotId));
        return next;
      }),
      onReconnected: () => setError('La connexion est revenue : relancez la recherche pour voir les créneaux à jour.'),
    });
    socket.current = counter;
    return () => counter.close();
  }, []);

  useEffect(() => {
    const territory = session.territories[0];
    if (territory === undefined) return;
    void api(`/v1/territories/${encodeURIComponent(territory)}/communes`).then(async (response) => {
      if (!response.ok) return setError(explain({ status: response.status }));
      setCommunes(((await response.json()) as { communes: Commune[] }).communes);
    }).catch(() => setError(explain({ status: 0 })));
  }, [session.territories[0]]);

  const names = useMemo(() => new Map(communes.map((c) => [c.code, c.name])), [communes]);
  const communeName = (code: string) => names.get(code) ?? code;

  const fail = (problem: Problem) => setError(explain(problem));

  const orient = async (patient: PatientFacts) => {
    setBusy(true); setError(null); setAnswer(null); setConflict(null); setTaken(new Set());
    setFacts(patient);
    const reply = await socket.current!.request<RequestAnswer>('request', {
      patient: { age: patient.age, sex: patient.sex, ...(patient.sex === 'female' ? { pregnant: patient.pregnant } : {}) },
      complaint: patient.complaint, redFlags: patient.redFlags, commune: patient.commune.code, limit: 5,
    });
    setBusy(false);
    if (!reply.ok) return fail(reply.error);
    setAnswer(reply.result);
  };

  const hold = async (candidate: Candidate) => {
    setBusy(true); setError(null); setConflict(null);
    const reply = await socket.current!.request<{ hold: Hold }>('hold', { slotId: candidate.slot.id, ...(answer ? { requestId: answer.request.id } : {}) });
    setBusy(false);
    if (reply.ok) return setHeld({ hold: reply.result.hold, candidate, key: crypto.randomUUID() });
    lost(candidate, reply.error);
  };

  // A créneau taken between display and click: say so, grey it, offer the next one.
  const lost = (candidate: Candidate, problem: Problem) => {
    if (problem.status !== 409) return fail(problem);
    setTaken((before) => new Set(before).add(candidate.slot.id));
    const alternatives = (problem.alternatives ?? []) as Candidate[];
    setConflict({ lost: candidate, next: alternatives.find((a) => !taken.has(a.slot.id)) });
  };

  const book = async (callBack: CallBack) => {
    if (held === null || facts === null) return;
    setBusy(true); setError(null);
    const reply = await socket.current!.request<{ booking: Booking }>('book', {
      holdId: held.hold.id, ...(answer ? { requestId: answer.request.id } : {}),
      patient: { name: callBack.name, phone: callBack.phone, age: facts.age, sex: facts.sex },
    }, held.key);
    setBusy(false);
    if (reply.ok) {
      setBooked({ booking: reply.result.booking, candidate: held.candidate, patientName: callBack.name });
      setHeld(null);
      return;
    }
    if (reply.error.status === 409) setHeld(null);
    lost(held.candidate, reply.error);
  };

  const release = async () => {
    if (held === null) return;
    setBusy(true);
    const response = await api(`/v1/holds/${held.hold.id}`, { method: 'DELETE' }).catch(() => null);
    setBusy(false);
    if (response === null || (!response.ok && response.status !== 404)) return fail({ status: response?.status ?? 0 });
    setHeld(null);
  };

  const nextPatient = () => {
    setFacts(null); setAnswer(null); setBooked(null); setHeld(null); setConflict(null); setError(null); setFormKey((k) => k + 1);
  };

  const signOut = async () => {
    await logout();
    location.assign('/app/');
  };

  return (
    <main class="comptoir">
      <header>
        <h1>Comptoir</h1>
        <p>
          <strong data-testid="person-name">{session.name}</strong> — Pharmacien·ne · CPTS {session.territories.join(', ')}
          {' · '}<span aria-live="polite" data-testid="live-state" class={live === 'en-direct' ? '' : 'error'}>{LIVE_LABELS[live]}</span>
        </p>
      </header>
      {error !== null && <p role="alert" class="error" data-testid="page-error">{error}</p>}
      {booked !== null
        ? <Confirmation booking={booked.booking} candidate={booked.candidate} communeName={communeName} patientName={booked.patientName} onNext={nextPatient} />
        : (
          <>
            <PatientForm key={formKey} communes={communes} busy={busy} onSubmit={(p) => void orient(p)} />
            {answer !== null && <Orientation triage={answer.triage} />}
            {conflict !== null && (
              <section class="conflict" role="alert" data-testid="conflict">
                <p><strong>Ce créneau vient d'être pris ailleurs</strong> ({when(conflict.lost.slot.start)} avec {conflict.lost.professional.name}).</p>
                {conflict.next !== undefined
                  ? <>
                    <p>Le suivant : <strong>{when(conflict.next.slot.start)}</strong> avec {conflict.next.professional.name}, à {communeName(conflict.next.site.commune)}.</p>
                    <button type="button" disabled={busy} onClick={() => void hold(conflict.next!)}>Retenir le créneau suivant</button>
                  </>
                  : <p>Aucun autre créneau compatible pour l'instant : relancez la recherche dans quelques minutes ou orientez vers le 15.</p>}
              </section>
            )}
            {held !== null
              ? <HoldPanel hold={held.hold} candidate={held.candidate} communeName={communeName} busy={busy} onBook={(c) => void book(c)} onRelease={() => void release()} />
              : answer !== null && answer.triage.orientation === 'book' && (
                <SlotList candidates={answer.candidates} taken={taken} communeName={communeName} busy={busy} onHold={(c) => void hold(c)} />
              )}
          </>
        )}
      <footer class="no-print"><button type="button" class="secondary outline" onClick={() => void signOut()}>Se déconnecter</button></footer>
    </main>
  );
}
