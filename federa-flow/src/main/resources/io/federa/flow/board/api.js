// The node's HTTP API as the board uses it: the token lives in this tab's session storage only.
const KEY = 'federa.token';

export const token = () => sessionStorage.getItem(KEY);
export const logout = () => sessionStorage.removeItem(KEY);

/** Thrown for an API error: the server's message and its fix. */
export class ApiError extends Error {
  constructor(status, message, fix) {
    super(message);
    this.status = status;
    this.fix = fix;
  }
}

async function call(method, path, body, auth = true) {
  const headers = { Accept: 'application/json' };
  if (auth) headers.Authorization = 'Bearer ' + token();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch('/api/v1' + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = data.error || {};
    if (res.status === 401 && auth) logout();
    throw new ApiError(res.status, e.message || res.statusText, e.fix || '');
  }
  return data;
}

export const get = (path) => call('GET', path);

/** Logs in with the node's token (checked on the health of an authenticated route). */
export async function useToken(t) {
  sessionStorage.setItem(KEY, t.trim());
  try {
    return await call('GET', '/board/jobs?limit=1');
  } catch (e) {
    logout();
    throw e;
  }
}

/** Exchanges a one-time login code (from a printed link) for the token. */
export async function redeem(code) {
  const r = await call('POST', '/board/login', { code }, false);
  sessionStorage.setItem(KEY, r.token);
  return r;
}
