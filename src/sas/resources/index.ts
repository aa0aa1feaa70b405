// The FHIR mapping layer for the SAS (IG ans.fhir.fr.sas 1.1.0, CPTS flow):
// pure builders and parsers, no HTTP and no database. Routes import from here.

export * from './appointment.js';
export * from './bundle.js';
export * from './capability-statement.js';
export * from './constants.js';
export * from './ids.js';
export * from './instant.js';
export type * from './model.js';
export * from './operation-outcome.js';
export * from './organization.js';
export * from './paging.js';
export * from './practitioner.js';
export * from './practitioner-regul.js';
export * from './practitioner-search-params.js';
export * from './schedule-search-params.js';
export * from './search-declaration.js';
export * from './search-params.js';
export * from './slot.js';
export * from './slot-search-params.js';
export type * from './types.js';
