// What a catch-up pass of the index reads, in one round trip: the rows of
// slots and tombstones written by transactions at or after the watermark, the
// professionals and sites those slots name, and the xmin that becomes the next
// watermark, all in one repeatable-read snapshot. Sent as one simple-protocol
// message (seven statements, transaction included): the seven round trips it
// replaced were most of a pass's 2 ms, and a pass is most of the
// commit → index lag (SPEC §5: p99 ≤ 10 ms).
//
// The simple protocol takes no parameters, so the watermark is written into the
// text: it is PostgreSQL's own pg_snapshot_xmin output, and checked to be
// digits before it is.
import type pg from 'pg';
import { PROFESSIONAL_COLUMNS, SITE_COLUMNS, SLOT_COLUMNS, type ProfessionalRow, type SiteRow, type SlotRow } from './slot-rows.js';

export interface Delta {
  /** The next watermark: every transaction below it had finished when the snapshot was taken. */
  xmin: string;
  changed: SlotRow[];
  deleted: [slotId: string, changeSeq: number][];
  professionals: ProfessionalRow[];
  sites: SiteRow[];
}

const XID = /^[0-9]{1,20}$/;

export async function readDelta(client: pg.ClientBase, watermark: string): Promise<Delta> {
  if (!XID.test(watermark)) throw new Error(`not a transaction id: ${JSON.stringify(watermark)}`);
  const since = `'${watermark}'::xid8`;
  const results = await client.query({
    text: [
      'begin isolation level repeatable read read only',
      'select pg_snapshot_xmin(pg_current_snapshot())::text',
      `select ${SLOT_COLUMNS} from slots s where s.change_xid >= ${since}`,
      `select slot_id, change_seq from slot_tombstones where change_xid >= ${since}`,
      `${PROFESSIONAL_COLUMNS} where p.id in (select s.professional_id from slots s where s.change_xid >= ${since})`,
      `${SITE_COLUMNS} where id in (select s.site_id from slots s where s.change_xid >= ${since})`,
      'commit',
    ].join(';\n'),
    rowMode: 'array',
  }) as unknown as pg.QueryArrayResult[];
  const [, snapshot, changed, deleted, professionals, sites] = results;
  return {
    xmin: snapshot!.rows[0]![0] as string,
    changed: changed!.rows as SlotRow[],
    deleted: deleted!.rows as Delta['deleted'],
    professionals: professionals!.rows as ProfessionalRow[],
    sites: sites!.rows as SiteRow[],
  };
}
