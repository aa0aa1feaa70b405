// Patients of bookings: the call-back details a booking carries, and no more.
// Tests that look at particular values (ages, names in logs) keep their own.

/** One patient's call-back details. */
export const PATIENT = { name: 'J. D.', phone: '+33 6 12 34 56 78' };

/** The i-th of many patients (races, load): distinct names, one phone. */
export const nthPatient = (i: number) => ({ name: `P${i}`, phone: '+33 6 00 00 00 00' });
