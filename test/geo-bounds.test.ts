// The matcher's cheap distance pre-checks (query-filter.ts) may only ever let
// a point through to the exact haversine test, never turn away one within
// reach. Checked against kmTo itself, over the whole globe: the poles, the
// antimeridian (Wallis-et-Futuna sits beside it) and points at the very edge
// of the radius, where a bound without slack would fail.
import t from 'tap';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { DistanceFrom, EARTH_RADIUS_KM, longitudeGapDeg } from '../src/core/index/geo.js';

const RAD = Math.PI / 180;

/** The point `km` away from the origin along `bearingDeg` (the spherical destination formula). */
function destination(lat: number, lon: number, bearingDeg: number, km: number): { lat: number; lon: number } {
  const φ1 = lat * RAD;
  const λ1 = lon * RAD;
  const θ = bearingDeg * RAD;
  const δ = km / EARTH_RADIUS_KM;
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(δ) + Math.cos(φ1) * Math.sin(δ) * Math.cos(θ));
  const λ2 = λ1 + Math.atan2(Math.sin(θ) * Math.sin(δ) * Math.cos(φ1), Math.cos(δ) - Math.sin(φ1) * Math.sin(φ2));
  const lon2 = ((((λ2 / RAD + 180) % 360) + 360) % 360) - 180;
  return { lat: φ2 / RAD, lon: lon2 };
}

// Unbiased: fast-check's default bias favours tiny magnitudes and bounds,
// which would seldom put a point at a cap's widest longitude.
const originArb = fc.record({
  lat: fc.noBias(fc.double({ min: -89.99, max: 89.99, noNaN: true })),
  lon: fc.noBias(fc.double({ min: -180, max: 180, noNaN: true })),
});
const kmArb = fc.noBias(fc.double({ min: 0.01, max: 1000, noNaN: true }));
const bearingArb = fc.noBias(fc.double({ min: 0, max: 360, noNaN: true }));

t.test('the longitude box never turns away a point within reach', async () => {
  fc.assert(
    fc.property(
      originArb,
      kmArb,
      bearingArb,
      // Mostly right at the edge of the radius, where rounding decides.
      fc.oneof(fc.constant(1), fc.double({ min: 0.999999, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
      (origin, km, bearing, fraction) => {
        const from = new DistanceFrom(origin);
        const point = destination(origin.lat, origin.lon, bearing, km * fraction);
        if (!(from.kmTo(point.lat, point.lon) <= km)) return; // the formula's rounding put it outside: nothing to check
        const span = from.lonSpanDegWithin(km);
        assert.ok(longitudeGapDeg(point.lon, origin.lon) <= span, `lon gap ${longitudeGapDeg(point.lon, origin.lon)} > span ${span}`);
      },
    ),
    { numRuns: 20_000 },
  );
});

t.test('the box is a real bound: it turns away a point just past its edge, where there is no pole within reach', async () => {
  // Without this, a span of Infinity everywhere would pass the first test.
  const from = new DistanceFrom({ lat: 45, lon: 1 });
  const span = from.lonSpanDegWithin(5);
  assert.ok(span > 0.06 && span < 0.07, `5 km at 45° N spans about 0.064° of longitude, got ${span}`);
  const justOutside = { lat: 45, lon: 1 + span * 1.001 };
  assert.ok(from.kmTo(justOutside.lat, justOutside.lon) > 5);
  assert.equal(new DistanceFrom({ lat: 89.99, lon: 0 }).lonSpanDegWithin(5), Infinity, 'a cap over the pole spans every longitude');
});

t.test('longitudes compare across the antimeridian', async () => {
  assert.equal(longitudeGapDeg(179.5, -179.5), 1);
  assert.equal(longitudeGapDeg(-176.2, -176.1).toFixed(6), '0.100000');
  fc.assert(
    fc.property(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true }), (a, b) => {
      const gap = longitudeGapDeg(a, b);
      assert.ok(gap >= 0 && gap <= 180);
      assert.equal(gap, longitudeGapDeg(b, a));
    }),
  );
});

t.test('the meridian bound never turns away a point within reach', async () => {
  fc.assert(
    fc.property(originArb, kmArb, bearingArb, fc.double({ min: 0.999999, max: 1, noNaN: true }), (origin, km, bearing, fraction) => {
      const from = new DistanceFrom(origin);
      const point = destination(origin.lat, origin.lon, bearing, km * fraction);
      if (!(from.kmTo(point.lat, point.lon) <= km)) return;
      // The very test query-filter.ts makes, slack included.
      assert.ok(!(from.meridianKmTo(point.lat) * (1 - 1e-9) > km));
    }),
    { numRuns: 5_000 },
  );
});
