// A SAS regulator account (FrPractitionerRegul, flux v1) as the product keeps it: what the FHIR
// parser yields, what the use case stores and what the FHIR builder sends back.

export interface RegulatorAccountFields {
  /** IDNPS value (urn:oid:1.2.250.1.71.4.2.1), e.g. "8" + RPPS. */
  idnps?: string;
  /** The SAS's internal identifier (urn:oid:1.2.250.1.213.3.6). */
  intrn?: string;
  familyName: string;
  givenName: string;
  email: string;
  active: boolean;
}
