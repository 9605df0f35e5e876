import type { CatalogEntry } from '../src/storage/components.js';

/** A deterministic pseudo-random generator (mulberry32), so every run seeds the same history. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max], both included. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function shuffle<T>(random: () => number, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

export const REGIONS = ['EU-DE', 'EU-NL', 'EU-CH2', 'AP-SG', 'NA-US'] as const;

/** 10 categories of 10 services: 100 services, every one present in each of the 5 regions. */
const CATEGORIES: ReadonlyArray<readonly [category: string, services: readonly string[]]> = [
  ['Compute', ['Elastic Cloud Server', 'Bare Metal Server', 'Auto Scaling', 'Image Management Service', 'Dedicated Host', 'GPU Accelerated Server', 'Function Graph', 'Batch Compute', 'Spot Instances', 'Cloud Phone']],
  ['Container', ['Cloud Container Engine', 'Software Repository for Container', 'Cloud Container Instance', 'Application Service Mesh', 'Container Security', 'Kubernetes Fleet Manager', 'Serverless Containers', 'Container Registry Mirror', 'Helm Chart Repository', 'Edge Container Service']],
  ['Storage', ['Elastic Volume Service', 'Object Storage Service', 'Scalable File Service', 'Cloud Backup and Recovery', 'Storage Disaster Recovery Service', 'Dedicated Distributed Storage', 'Volume Backup Service', 'Data Express Service', 'Archive Storage', 'Storage Gateway']],
  ['Network', ['Virtual Private Cloud', 'Elastic Load Balancing', 'NAT Gateway', 'Domain Name Service', 'Virtual Private Network', 'Direct Connect', 'Elastic IP', 'VPC Endpoint', 'Enterprise Router', 'Content Delivery Network']],
  ['Database', ['Relational Database Service', 'Document Database Service', 'Distributed Cache Service', 'GaussDB', 'Data Replication Service', 'Database Security Service', 'Time Series Database', 'Graph Database', 'Distributed Database Middleware', 'Data Admin Service']],
  ['Security', ['Identity and Access Management', 'Key Management Service', 'Web Application Firewall', 'Anti-DDoS', 'Host Security Service', 'Cloud Firewall', 'Certificate Manager', 'Secret Management', 'Vulnerability Scan', 'Security Center']],
  ['Management', ['Cloud Eye', 'Cloud Trace Service', 'Log Tank Service', 'Resource Formation', 'Tag Management Service', 'Application Operations Management', 'Config', 'Cost Center', 'Organizations', 'Simple Message Notification']],
  ['Analytics', ['MapReduce Service', 'Data Warehouse Service', 'Cloud Search Service', 'Data Lake Insight', 'DataArts Studio', 'Data Ingestion Service', 'Stream Processing', 'Business Intelligence', 'Graph Engine', 'Data Catalog']],
  ['AI', ['ModelArts', 'Optical Character Recognition', 'Speech Interaction', 'Image Recognition', 'Natural Language Processing', 'Knowledge Graph', 'Face Recognition', 'Content Moderation', 'Video Analysis', 'AI Gallery']],
  ['Application', ['Distributed Message Service', 'API Gateway', 'Cloud Service Engine', 'Application Performance Management', 'Simple Mail Service', 'Workflow Service', 'Event Grid', 'Domain Registration', 'Cloud Desktop', 'IoT Device Access']],
];

function typeCode(service: string): string {
  return service
    .split(/[\s-]+/)
    .map((word) => word[0]?.toLowerCase() ?? '')
    .join('');
}

/** The bench catalog: 5 regions × 100 services = 500 components with region/category/type. */
export function benchCatalog(): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  for (const region of REGIONS) {
    for (const [category, services] of CATEGORIES) {
      for (const service of services) {
        entries.push({
          name: service,
          attributes: [
            { name: 'region', value: region },
            { name: 'category', value: category },
            { name: 'type', value: typeCode(service) },
          ],
        });
      }
    }
  }
  return entries;
}

/** A monitoring client's report: what POST /api/v1/component_status receives. */
export interface StatusReportBody {
  name: string;
  impact: number;
  text: string;
  attributes: { name: string; value: string }[];
}

/**
 * Realistic monitoring reports: a component (identified by name + region, as the monitoring
 * sends it) and an impact 1..3. Repeats conflict (409); new ones open, join or escalate incidents.
 * `failing` limits the reports to that many components (chosen at random, spread over regions
 * and services); unset, every component of the catalog reports.
 */
export function statusReportBodies(count: number, seed: number, failing?: number): StatusReportBody[] {
  const random = createRandom(seed);
  const catalog = benchCatalog();
  const pool = failing === undefined ? catalog : shuffle(random, catalog).slice(0, failing);
  const bodies: StatusReportBody[] = [];
  for (let i = 0; i < count; i++) {
    const entry = pick(random, pool);
    const region = entry.attributes.find((attribute) => attribute.name === 'region')?.value ?? '';
    bodies.push({
      name: entry.name,
      impact: randomInt(random, 1, 3),
      text: `${entry.name} degraded in ${region}`,
      attributes: [{ name: 'region', value: region }],
    });
  }
  return bodies;
}
