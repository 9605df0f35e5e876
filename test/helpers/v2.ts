/** An event as API v2 answers it (reference v3 §3.1), for tests that read it. */
export interface V2Event {
  id: number;
  title: string;
  description?: string;
  impact: number;
  components: number[];
  start_date: string;
  end_date?: string;
  system: boolean;
  type: string;
  status: string;
  updates: { id: number; status: string; text: string; timestamp: string }[];
}
