/** An incident as API v1 answers it (the reference's v1 tests), for tests that read it. */
export interface V1Incident {
  id: number;
  impact: number;
  text: string;
  start_date: string;
  end_date: string | null;
  updates: { status: string; text: string; timestamp: string }[];
}
