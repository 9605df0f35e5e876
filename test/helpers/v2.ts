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

/** An event as API v2 answers it to a caller with a role (issue 17): with its creator, contact and version. */
export interface V2StaffEvent extends V2Event {
  creator?: string;
  contact_email?: string;
  version?: number;
}

/** What a v2 status report answers (POST /v2/component_status, /v2/incidents): each component's incident, or why none. */
export interface V2ReportResult {
  result: { component_id: number; incident_id?: number; error?: string }[];
}
