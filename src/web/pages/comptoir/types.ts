// What the counter requests answer (the API's shapes, as far as this page reads them).
export interface Commune { code: string; name: string; postalCodes: string[] }

export interface Candidate {
  slot: { id: string; start: string; end: string; modality: string };
  professional: { rpps: string; name: string; profession: string; skills: string[] };
  site: { commune: string; lat: number; lon: number };
  distanceKm?: number;
}

export interface Triage {
  orientation: 'call-15' | 'pharmacy-protocol' | 'book';
  maxDelayMinutes: number | null;
  professions: string[];
  reason: string;
  rule: { id: string; version: number };
}

export interface RequestAnswer {
  request: { id: string };
  triage: Triage;
  outcome: string;
  candidates: Candidate[];
}

export interface Hold { id: string; slotId: string; expiresAt: string }

export interface Booking { id: string; slotId: string; start: string; end: string; professional: { rpps: string; name: string } }

export interface PatientFacts { age: number; sex: 'female' | 'male' | 'unknown'; pregnant: boolean; commune: Commune; complaint: string; redFlags: string[] }
