// npm run --silent clients -- create --role ROLE --territory ID [--territory ID2] [--rpps RPPS] [--name NAME] [--cert PATH.pem]
// npm run --silent clients -- list
// npm run --silent clients -- revoke --id ID
// (container image: node dist/cli/clients.js …). --create-database: initialise an empty embedded DATA_DIR.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { createClient, revokeClient } from '../auth/clients.js';
import { createCertificateClient } from '../auth/certificate-clients.js';
import { ROLES } from '../usecases/client.js';
import { runCli, UsageError } from './run-cli.js';
import { plainText } from '../core/text.js';

const USAGE = 'usage: clients create --role regulator|pharmacist|professional|coordinator --territory ID [--rpps RPPS] [--name NAME] [--expires-in-days N] [--cert PATH.pem: a client certificate (mutual TLS) instead of a token] | clients list | clients revoke --id ID; --create-database to initialise an empty DATA_DIR';

const createArgs = z.object({
  role: z.enum(ROLES, { error: `--role must be one of ${ROLES.join(', ')}` }),
  territory: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, '--territory must be a territory id like venissieux')).min(1, '--territory is required'),
  rpps: plainText().optional(),
  name: plainText().min(1).max(200).optional(),
  'expires-in-days': z.coerce.number().int().min(1).max(3650).optional(),
  cert: z.string().min(1).optional(),
});

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        role: { type: 'string' }, territory: { type: 'string', multiple: true }, rpps: { type: 'string' },
        name: { type: 'string' }, id: { type: 'string' }, 'expires-in-days': { type: 'string' }, cert: { type: 'string' },
        'create-database': { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
}

function readCertificate(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--cert: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

let args: ReturnType<typeof parse>;
try {
  args = parse(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`clients: ${(error as Error).message}\n`);
  process.exit(2);
}
const command = args.positionals[0];
if (command !== 'create' && command !== 'list' && command !== 'revoke') {
  process.stderr.write(`clients: unknown command ${JSON.stringify(command ?? '')}\n${USAGE}\n`);
  process.exit(2);
}
const parsedCreate = command === 'create' ? createArgs.safeParse(args.values) : null;
if (parsedCreate !== null && !parsedCreate.success) {
  // Named by its option (`--name: must not contain control characters`) unless the message already says it.
  const issue = parsedCreate.error.issues[0]!;
  const option = issue.path[0] === undefined ? '' : `--${String(issue.path[0])}`;
  process.stderr.write(`clients: ${option === '' || issue.message.startsWith('--') ? '' : `${option}: `}${issue.message}\n`);
  process.exit(2);
}

await runCli('clients', async ({ db }) => {
  if (command === 'create') {
    const input = parsedCreate!.data!;
    const client = {
      role: input.role,
      territories: input.territory,
      rpps: input.rpps,
      name: input.name,
      expiresAt: input['expires-in-days'] === undefined ? undefined : new Date(Date.now() + input['expires-in-days'] * 86_400_000),
    };
    // A certificate client has no token: it prints its id only.
    const created = input.cert === undefined ? await createClient(db, client) : await createCertificateClient(db, client, readCertificate(input.cert));
    process.stdout.write(`${JSON.stringify(created)}\n`);
  } else if (command === 'list') {
    const rows = await db.selectFrom('api_clients').select(['id', 'name', 'role', 'territories', 'created_at', 'expires_at', 'revoked_at']).orderBy('created_at').execute();
    for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  } else {
    const id = z.uuid().safeParse(args.values.id);
    if (!id.success) throw new UsageError('--id must be a client id (uuid)');
    if (!(await revokeClient(db, id.data))) throw new UsageError(`no active client ${id.data}`);
    process.stdout.write(`${JSON.stringify({ id: id.data, revoked: true })}\n`);
  }
}, { createDatabase: args.values['create-database'] === true });
