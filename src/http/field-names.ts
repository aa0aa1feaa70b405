// How the HTTP API names a use case's input fields in its problems: a GET's
// input is its query string, a DELETE's its path (it has no body), any other
// method's its body; the addressed resource `id` is the path's `:id`; the
// idempotency key is a header.
import { fieldUnder } from '../usecases/problem.js';

export function httpFieldNames(method: string): (field: string) => string {
  const where = method === 'GET' || method === 'HEAD' ? 'querystring' : method === 'DELETE' ? 'params' : 'body';
  return (field) => {
    if (field === 'id') return 'params.id';
    if (field === 'idempotencyKey') return 'headers.idempotency-key';
    return fieldUnder(where, field);
  };
}
