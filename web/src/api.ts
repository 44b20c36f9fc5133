/** Calls the Sanbao API with the session cookie; errors keep the server's code, status and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole answer (a refused import lists its bad rows in `problems`). */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw refusal(response, text);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The ApiError of a refused answer, from its {error: {code, message}} body. */
export function refusal(response: Response, text: string): ApiError {
  let data: { error?: { code?: string; message?: string } } | undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  const error = data?.error ?? {};
  return new ApiError(response.status, error.code ?? 'HTTP_' + response.status, error.message ?? response.statusText, data);
}
