/**
 * The rules squealer's string scanner (github.com/owenrumney/squealer, default configuration)
 * applies to a string: those without a file-name filter, in its order. The first match decides
 * the description. Patterns are Go RE2 syntax, compiled through the same translation as
 * regex.match.
 */
export interface SecretRule {
  readonly description: string;
  readonly pattern: string;
}

export const SQUEALER_STRING_RULES: readonly SecretRule[] = [
  {
    description: 'Check for AWS Access Key Id',
    pattern: '(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}',
  },
  { description: 'Check for AWS Secret Access Key', pattern: '(?i)aws_secre.+[=:]\\s{0,}[A-Za-z0-9\\/+=]{40}.?' },
  {
    description: 'Check for Github Token',
    pattern: '(?i)github[_\\-\\.]?token[\\s:,="\\]\']+?(?-i)[0-9a-zA-Z]{35,40}',
  },
  { description: 'Check for new Github Token', pattern: 'gh[opusr]_[A-Za-z0-9_]{30,255}' },
  { description: '', pattern: 'xox[baprs]-([0-9a-zA-Z]{10,48})?' },
  { description: 'Private Asymetric Key', pattern: '-----BEGIN ((EC|PGP|DSA|RSA|OPENSSH) )?PRIVATE KEY( BLOCK)?-----' },
  { description: 'Slack API Token', pattern: 'xox.-[0-9]{12}-[0-9]{12}-[0-9]{12}-[a-zA-Z0-9]{32}' },
  { description: 'Slack OAuth Token', pattern: 'xox.-[0-9]{12}-[0-9]{12}-[r0-9a-zA-Z]{24}' },
  { description: 'Password literal text', pattern: '(?im)password\\s?[:=]\\s?"?[^\\s?\\$\\{].+"?' },
  { description: 'AWS Manager ID', pattern: '(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}' },
  { description: 'AWS Secret Key', pattern: '(?i)aws(.{0,20})?(?-i)[\'\\"][0-9a-zA-Z\\/+]{40}[\'\\"]' },
  { description: 'AWS MWS key', pattern: 'amzn\\.mws\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' },
  { description: 'Facebook Secret Key', pattern: '(?i)(facebook|fb)(.{0,20})?(?-i)[\'\\"][0-9a-f]{32}[\'\\"]' },
  { description: 'Facebook Client ID', pattern: '(?i)(facebook|fb)(.{0,20})?[\'\\"][0-9]{13,17}[\'\\"]' },
  { description: 'Twitter Secret Key', pattern: '(?i)twitter(.{0,20})?[\'\\"][0-9a-z]{35,44}[\'\\"]' },
  { description: 'Twitter Client ID', pattern: '(?i)twitter(.{0,20})?[\'\\"][0-9a-z]{18,25}[\'\\"]' },
  { description: 'GitHub Token', pattern: '(?i)github.{0,3}((?i)token|api|key).{0,10}?(?-i)([0-9a-zA-Z]{35,40})' },
  { description: 'LinkedIn Client ID', pattern: '(?i)linkedin(.{0,20})?(?-i)[\'\\"][0-9a-z]{12}[\'\\"]' },
  { description: 'LinkedIn Secret Key', pattern: '(?i)linkedin(.{0,20})?[\'\\"][0-9a-z]{16}[\'\\"]' },
  // An npm auth token line of .npmrc, for any registry host.
  { description: 'NPM Token', pattern: '//[A-Za-z0-9.-]+(?::[0-9]+)?/:_authToken=[0-9a-f-]+' },
  { description: 'Slack', pattern: 'xox[baprs]-([0-9a-zA-Z]{10,48})?' },
  { description: 'EC', pattern: '-----BEGIN EC PRIVATE KEY-----' },
  { description: 'DSA', pattern: '-----BEGIN DSA PRIVATE KEY-----' },
  { description: 'OPENSSH', pattern: '-----BEGIN OPENSSH PRIVATE KEY-----' },
  { description: 'RSA', pattern: '-----BEGIN RSA PRIVATE KEY-----' },
  { description: 'PGP', pattern: '-----BEGIN PGP PRIVATE KEY BLOCK-----' },
  { description: 'Google API key', pattern: 'AIza[0-9A-Za-z\\\\-_]{35}' },
  {
    description: 'Heroku API key',
    pattern: '(?i)heroku(.{0,20})?[\'"][0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}[\'"]',
  },
  { description: 'MailChimp API key', pattern: '(?i)(mailchimp|mc)(.{0,20})?[\'"][0-9a-f]{32}-us[0-9]{1,2}[\'"]' },
  { description: 'Mailgun API key', pattern: '(?i)(mailgun|mg)(.{0,20})?[\'"][0-9a-z]{32}[\'"]' },
  { description: 'PayPal Braintree access token', pattern: 'access_token\\$production\\$[0-9a-z]{16}\\$[0-9a-f]{32}' },
  { description: 'Picatic API key', pattern: 'sk_live_[0-9a-z]{32}' },
  {
    description: 'Slack Webhook',
    pattern: 'https://hooks.slack.com/services/T[a-zA-Z0-9_]{8}/B[a-zA-Z0-9_]{8}/[a-zA-Z0-9_]{24}',
  },
  { description: 'Stripe API key', pattern: '(?i)stripe(.{0,20})?[\'\\"][sk|rk]_live_[0-9a-zA-Z]{24}' },
  { description: 'Square access token', pattern: 'sq0atp-[0-9A-Za-z\\-_]{22}' },
  { description: 'Square OAuth secret', pattern: 'sq0csp-[0-9A-Za-z\\\\-_]{43}' },
  { description: 'Twilio API key', pattern: '(?i)twilio(.{0,20})?[\'\\"][0-9a-f]{32}[\'\\"]' },
  { description: 'Dynatrace token', pattern: 'dt0[a-zA-Z]{1}[0-9]{2}\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}' },
  { description: 'Shopify shared secret', pattern: 'shpss_[a-fA-F0-9]{32}' },
  { description: 'Shopify access token', pattern: 'shpat_[a-fA-F0-9]{32}' },
  { description: 'Shopify custom app access token', pattern: 'shpca_[a-fA-F0-9]{32}' },
  { description: 'Shopify private app access token', pattern: 'shppa_[a-fA-F0-9]{32}' },
  {
    description: 'Env Var',
    pattern:
      '(?i)(apikey|secret|password|certificate_osx_p12|certificate_password|codacy_project_token|coveralls_api_token|coveralls_repo_token|coveralls_token|coverity_scan_token|cypress_record_key|database_password|db_password|deploy_password|deploy_token|digitalocean_access_token|docker_hub_password|docker_password|dockerhub_password|sonatype_password|firebase_api_token|firebase_token|firefox_secret|flask_secret_key|fossa_api_key|gcloud_service_key|gcr_password|gh_api_key|gh_next_oauth_client_secret|gh_next_unstable_oauth_client_secret|gh_oauth_client_secret|gpg_private_key|gpg_passphrase|gpg_secret_keys|heroku_api_key|okta_client_token|pypi_password|sonatype_nexus_password|travis_token|refresh_token|client_id|client_secret)(.*)?[(:=](\\s)?[\'\\"][0-9a-zA-Z-_!$^%=]{10,120}[\'\\")]',
  },
  {
    description: 'WP-Config',
    pattern:
      'define(.{0,20})?(DB_CHARSET|NONCE_SALT|LOGGED_IN_SALT|AUTH_SALT|NONCE_KEY|DB_HOST|DB_PASSWORD|AUTH_KEY|SECURE_AUTH_KEY|LOGGED_IN_KEY|DB_NAME|DB_USER)(.{0,20})?[\'|"].{10,120}[\'|"]',
  },
  { description: 'SlackToken 1', pattern: 'xoxp-[a-z0-9]+-[a-z0-9]+-[a-z0-9]+-[a-z0-9]+' },
  { description: 'SlackToken 2', pattern: 'xoxb-[a-z0-9]+-[a-z0-9]+' },
  { description: 'OpenAI Secret Key', pattern: 'sk-[a-zA-Z0-9]+' },
];
