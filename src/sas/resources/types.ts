// The subset of FHIR R4 (4.0.1) datatypes and resources this layer reads or
// writes. Deliberately partial: only the elements we emit or accept exist here,
// so the compiler tells us when a builder strays from what was reviewed.

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Identifier {
  use?: 'usual' | 'official' | 'temp' | 'secondary' | 'old';
  type?: CodeableConcept;
  system?: string;
  value?: string;
}

export interface Reference {
  reference?: string;
  identifier?: Identifier;
  display?: string;
}

export interface Extension {
  url: string;
  valueReference?: Reference;
}

export interface Meta {
  profile?: string[];
  security?: Coding[];
}

export interface HumanName {
  family?: string;
  given?: string[];
}

export interface ContactPoint {
  system: 'phone' | 'email' | 'url';
  value: string;
}

export interface Address {
  line?: string[];
  city?: string;
  postalCode?: string;
  country?: string;
  text?: string;
}

export interface Slot {
  resourceType: 'Slot';
  id: string;
  meta: Meta;
  serviceType: Array<CodeableConcept & { extension?: Extension[] }>;
  specialty?: CodeableConcept[];
  appointmentType: CodeableConcept;
  schedule: Reference;
  status: 'free' | 'busy' | 'busy-unavailable' | 'busy-tentative' | 'entered-in-error';
  start: string;
  end: string;
  comment?: string;
}

export interface Schedule {
  resourceType: 'Schedule';
  id: string;
  meta: Meta;
  actor: Reference[];
}

export interface Practitioner {
  resourceType: 'Practitioner';
  id: string;
  meta: Meta;
  identifier: Identifier[];
  name?: HumanName[];
}

export interface Location {
  resourceType: 'Location';
  id: string;
  meta: Meta;
  identifier: Identifier[];
  name?: string;
  address: Address;
  position: { longitude: number; latitude: number };
}

export interface PractitionerRole {
  resourceType: 'PractitionerRole';
  id: string;
  meta: Meta;
  contained: [Location];
  practitioner: Reference;
  organization?: Reference;
  location: [Reference];
  telecom?: ContactPoint[];
}

export interface HealthcareService {
  resourceType: 'HealthcareService';
  id: string;
  meta: Meta;
  providedBy: Reference;
  name?: string;
}

export interface Organization {
  resourceType: 'Organization';
  id: string;
  meta: Meta;
  identifier: [Identifier];
  name: string;
  telecom?: ContactPoint[];
}

export interface Patient {
  resourceType: 'Patient';
  id?: string;
  name?: HumanName[];
  gender?: 'male' | 'female' | 'other' | 'unknown';
  birthDate?: string;
}

export type FhirAppointmentStatus =
  | 'proposed' | 'pending' | 'booked' | 'arrived' | 'fulfilled' | 'cancelled'
  | 'noshow' | 'entered-in-error' | 'checked-in' | 'waitlist';

export interface Appointment {
  resourceType: 'Appointment';
  id?: string;
  meta?: Meta;
  extension: Extension[];
  identifier: Identifier[];
  status: FhirAppointmentStatus;
  start: string;
  end: string;
  slot?: Reference[];
  participant: Array<{
    actor?: Reference;
    status: 'accepted' | 'declined' | 'tentative' | 'needs-action';
  }>;
}

export type SlotSearchResource =
  | Slot | Schedule | Practitioner | PractitionerRole | HealthcareService | Organization;

export interface BundleEntry<R> {
  fullUrl: string;
  resource: R;
  search: { mode: 'match' | 'include' };
}

/** Why a search matched less than asked (R4 search.mode "outcome"); it has no fullUrl of ours. */
export interface OutcomeEntry {
  resource: OperationOutcome;
  search: { mode: 'outcome' };
}

/** self always first; next / previous when the search is paged (_count). */
export interface BundleLink {
  relation: 'self' | 'next' | 'previous';
  url: string;
}

/** E: other entries than matches and includes (an OutcomeEntry, see withOutcomeEntry). */
export interface Bundle<R, E = never> {
  resourceType: 'Bundle';
  id?: string;
  meta?: Meta;
  type: 'searchset';
  total: number;
  link: [BundleLink, ...BundleLink[]];
  /** Absent when empty: FHIR JSON has no empty arrays. */
  entry?: Array<BundleEntry<R> | E>;
}

export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

/** OperationOutcome.issue.code (value set issue-type), the codes we use. */
export type IssueCode =
  | 'invalid' | 'structure' | 'required' | 'value' | 'not-supported' | 'not-found'
  | 'conflict' | 'business-rule' | 'duplicate' | 'processing' | 'exception'
  | 'security' | 'login' | 'forbidden' | 'throttled' | 'timeout' | 'too-costly' | 'informational';

export interface OperationOutcomeIssue {
  severity: IssueSeverity;
  code: IssueCode;
  details?: CodeableConcept;
  diagnostics?: string;
  location?: string[];
  expression?: string[];
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}
