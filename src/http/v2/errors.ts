/** API v2 errors are `{"errMsg": "..."}` (reference v3 §3.11). */
export class V2Error extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const errMsg = (message: string) => ({ errMsg: message });

export const FILTER_INVALID = 'filter query parameter has an invalid format or value';
