export { bodySourceStream } from './body-source-stream.ts';
export { fileBodySource } from './file-body-source.ts';
export { createGarbagePacer, GARBAGE_PACE_BYTES, type GarbagePacer } from './garbage-pacer.ts';
export { createHttpClient, loggableUrl } from './http-client.ts';
export { classifyNetworkError, NetworkError, type NetworkFailure } from './network-error.ts';
export { noProgress, type ProgressBarOptions, progressBar, type TransferProgress } from './progress.ts';
export { bypassesProxy, type ProxySettings, parseNoProxy, proxyFor, proxySettings } from './proxy.ts';
export { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, RETRYABLE_STATUSES, retryPolicy } from './retry.ts';
export { type CaSource, readCaFile, trustedCertificates, trustedSecureContext } from './trust.ts';
export type {
  BodySink,
  BodySource,
  BodyTarget,
  Environment,
  HttpClient,
  HttpRequest,
  HttpResponse,
  NetworkPolicy,
  RetryPolicy,
} from './types.ts';
