import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Language = 'en' | 'fr';

const en = {
  'app.title': 'Consent ledger — auditor console',
  'nav.label': 'Console sections',
  'nav.subject': 'Subject', 'nav.proof': 'Proof', 'nav.ledger': 'Ledger', 'nav.purposes': 'Purposes',
  'lang.label': 'Language', 'signout': 'Sign out',
  'signin.title': 'Sign in', 'signin.key': 'API key', 'signin.submit': 'Sign in',
  'signin.help': 'The key stays in this tab (sessionStorage) and is sent only to this ledger.',
  'signin.rejected': 'This key was not accepted',
  'loading': 'Loading…', 'unavailable': 'unavailable on this ledger', 'error': 'Error',
  'subject.title': 'Subject', 'subject.search': 'Subject id', 'subject.find': 'Find',
  'subject.none': 'No event recorded for this subject.',
  'subject.state': 'State per purpose', 'subject.at': 'State at', 'subject.now': 'Now',
  'subject.slider': 'Instant (drag or use the arrow keys)', 'subject.afterEvent': 'State after this event',
  'subject.timeline': 'Timeline', 'subject.erased': 'This subject was erased: personal proof fields read [erased].',
  'col.purpose': 'Purpose', 'col.status': 'Status', 'col.allowed': 'Allowed', 'col.version': 'Version',
  'col.since': 'Since', 'col.expires': 'Expires', 'col.reconsent': 'Renewal needed',
  'col.type': 'Event', 'col.occurred': 'Occurred', 'col.recorded': 'Recorded', 'col.source': 'Source',
  'col.proof': 'Proof fields', 'col.chain': 'Hash chain', 'col.stream': '#',
  'chain.ok': 'links to the previous event', 'chain.genesis': 'first event (genesis)', 'chain.broken': 'BROKEN LINK',
  'chain.unknown': 'previous event not shown',
  'text.shown': 'Text shown (version {v})',
  'yes': 'yes', 'no': 'no', 'never': 'never', 'none': '—',
  'export.json': 'Export (JSON)', 'export.iso': 'Export (ISO 27560)',
  'erase.button': 'Erase this subject…', 'erase.title': 'Erase subject {id}?',
  'erase.explain': 'This destroys the subject\'s data key: IP, user agent and evidence become unreadable for ever. The history and proofs stay verifiable. New choices for this id will be refused.',
  'erase.confirmLabel': 'Type the subject id to confirm', 'erase.confirm': 'Erase {id}', 'erase.cancel': 'Cancel',
  'erase.done': 'Subject erased.',
  'scope.missing': 'Your API key lacks the scope {scope}.',
  'proof.title': 'Proof of lawful basis', 'proof.purpose': 'Purpose', 'proof.at': 'Instant (empty: now)',
  'proof.fetch': 'Fetch and verify', 'proof.verify': 'Verify the JSON below again',
  'proof.json': 'Proof JSON (as received; edit it to see verification fail)',
  'proof.verified': 'verified', 'proof.failed': 'failed', 'proof.verdict': 'Verdict',
  'proof.checks': 'What was checked', 'proof.decision': 'Decision', 'proof.download': 'Download proof JSON',
  'proof.downloadTlog': 'Download {name}', 'proof.key': 'Verifier key',
  'check.document': 'Proof document well-formed', 'check.verifier-key': 'Verifier key (Ed25519, key id)',
  'check.checkpoint-signature': 'Checkpoint signature', 'check.event-stream': 'Event of the subject\'s or the purpose\'s stream',
  'check.purpose-text': 'Purpose text as logged',
  'check.event-hash': 'Event hash recomputed', 'check.chain-link': 'Chain link', 'check.inclusion': 'Inclusion in the signed tree',
  'ledger.title': 'Ledger', 'ledger.checkpoint': 'Latest checkpoint', 'ledger.treeSize': 'Tree size',
  'ledger.age': 'Age', 'ledger.origin': 'Origin', 'ledger.verify': 'Integrity (verify)', 'ledger.run': 'Run verify',
  'ledger.valid': 'valid', 'ledger.invalid': 'INVALID', 'ledger.events': 'events', 'ledger.streams': 'streams',
  'ledger.health': 'Relay and sealer', 'ledger.lag': 'lag', 'ledger.plot': 'Events per day by type',
  'ledger.period': 'Period', 'ledger.days': 'last {n} days',
  'ledger.noEvents': 'No event in this period.', 'ledger.unsealed': 'Events not yet sealed', 'ledger.unknownAge': 'not given by the ledger',
  'purposes.title': 'Purposes', 'purposes.basis': 'Legal basis', 'purposes.validity': 'Validity',
  'purposes.days': '{n} days', 'purposes.noExpiry': 'no expiry', 'purposes.versions': 'Versions',
  'purposes.published': 'Published', 'purposes.material': 'Material change', 'purposes.retired': 'Retired',
  'purposes.diff': 'Compare two versions', 'purposes.from': 'From version', 'purposes.to': 'To version',
  'purposes.titleField': 'Title', 'purposes.description': 'Description',
  'status.granted': 'granted', 'status.refused': 'refused', 'status.withdrawn': 'withdrawn', 'status.expired': 'expired',
  'status.objected': 'objected', 'status.none': 'none',
};

type Key = keyof typeof en;

const fr: Record<Key, string> = {
  'app.title': 'Registre des consentements — console d’audit',
  'nav.label': 'Sections de la console',
  'nav.subject': 'Personne', 'nav.proof': 'Preuve', 'nav.ledger': 'Registre', 'nav.purposes': 'Finalités',
  'lang.label': 'Langue', 'signout': 'Se déconnecter',
  'signin.title': 'Connexion', 'signin.key': 'Clé d’API', 'signin.submit': 'Se connecter',
  'signin.help': 'La clé reste dans cet onglet (sessionStorage) et n’est envoyée qu’à ce registre.',
  'signin.rejected': 'Cette clé a été refusée',
  'loading': 'Chargement…', 'unavailable': 'indisponible sur ce registre', 'error': 'Erreur',
  'subject.title': 'Personne concernée', 'subject.search': 'Identifiant de la personne', 'subject.find': 'Chercher',
  'subject.none': 'Aucun événement enregistré pour cette personne.',
  'subject.state': 'État par finalité', 'subject.at': 'État au', 'subject.now': 'Maintenant',
  'subject.slider': 'Instant (glisser ou flèches du clavier)', 'subject.afterEvent': 'État après cet événement',
  'subject.timeline': 'Chronologie', 'subject.erased': 'Cette personne a été effacée : les champs de preuve personnels se lisent [erased].',
  'col.purpose': 'Finalité', 'col.status': 'Statut', 'col.allowed': 'Autorisé', 'col.version': 'Version',
  'col.since': 'Depuis', 'col.expires': 'Expire', 'col.reconsent': 'Renouvellement requis',
  'col.type': 'Événement', 'col.occurred': 'Survenu', 'col.recorded': 'Enregistré', 'col.source': 'Source',
  'col.proof': 'Champs de preuve', 'col.chain': 'Chaîne de hachage', 'col.stream': 'n°',
  'chain.ok': 'lié à l’événement précédent', 'chain.genesis': 'premier événement (genèse)', 'chain.broken': 'LIEN ROMPU',
  'chain.unknown': 'événement précédent non affiché',
  'text.shown': 'Texte présenté (version {v})',
  'yes': 'oui', 'no': 'non', 'never': 'jamais', 'none': '—',
  'export.json': 'Exporter (JSON)', 'export.iso': 'Exporter (ISO 27560)',
  'erase.button': 'Effacer cette personne…', 'erase.title': 'Effacer la personne {id} ?',
  'erase.explain': 'La clé de données de la personne est détruite : IP, agent utilisateur et justificatifs deviennent illisibles pour toujours. L’historique et les preuves restent vérifiables. Les nouveaux choix pour cet identifiant seront refusés.',
  'erase.confirmLabel': 'Saisissez l’identifiant pour confirmer', 'erase.confirm': 'Effacer {id}', 'erase.cancel': 'Annuler',
  'erase.done': 'Personne effacée.',
  'scope.missing': 'Votre clé d’API n’a pas la portée {scope}.',
  'proof.title': 'Preuve de la base légale', 'proof.purpose': 'Finalité', 'proof.at': 'Instant (vide : maintenant)',
  'proof.fetch': 'Obtenir et vérifier', 'proof.verify': 'Vérifier à nouveau le JSON ci-dessous',
  'proof.json': 'JSON de la preuve (tel que reçu ; modifiez-le pour voir la vérification échouer)',
  'proof.verified': 'vérifiée', 'proof.failed': 'échec', 'proof.verdict': 'Verdict',
  'proof.checks': 'Ce qui a été vérifié', 'proof.decision': 'Décision', 'proof.download': 'Télécharger le JSON de la preuve',
  'proof.downloadTlog': 'Télécharger {name}', 'proof.key': 'Clé de vérification',
  'check.document': 'Document de preuve bien formé', 'check.verifier-key': 'Clé de vérification (Ed25519, identifiant)',
  'check.checkpoint-signature': 'Signature du point de contrôle', 'check.event-stream': 'Événement du flux de la personne ou de la finalité',
  'check.purpose-text': 'Texte de la finalité tel que journalisé',
  'check.event-hash': 'Empreinte de l’événement recalculée', 'check.chain-link': 'Lien de chaîne', 'check.inclusion': 'Inclusion dans l’arbre signé',
  'ledger.title': 'Registre', 'ledger.checkpoint': 'Dernier point de contrôle', 'ledger.treeSize': 'Taille de l’arbre',
  'ledger.age': 'Âge', 'ledger.origin': 'Origine', 'ledger.verify': 'Intégrité (verify)', 'ledger.run': 'Lancer la vérification',
  'ledger.valid': 'valide', 'ledger.invalid': 'INVALIDE', 'ledger.events': 'événements', 'ledger.streams': 'flux',
  'ledger.health': 'Relais et scelleur', 'ledger.lag': 'retard', 'ledger.plot': 'Événements par jour et par type',
  'ledger.period': 'Période', 'ledger.days': '{n} derniers jours',
  'ledger.noEvents': 'Aucun événement sur cette période.', 'ledger.unsealed': 'Événements pas encore scellés', 'ledger.unknownAge': 'non fourni par le registre',
  'purposes.title': 'Finalités', 'purposes.basis': 'Base légale', 'purposes.validity': 'Validité',
  'purposes.days': '{n} jours', 'purposes.noExpiry': 'sans expiration', 'purposes.versions': 'Versions',
  'purposes.published': 'Publiée', 'purposes.material': 'Changement substantiel', 'purposes.retired': 'Retirée',
  'purposes.diff': 'Comparer deux versions', 'purposes.from': 'De la version', 'purposes.to': 'À la version',
  'purposes.titleField': 'Titre', 'purposes.description': 'Description',
  'status.granted': 'accordé', 'status.refused': 'refusé', 'status.withdrawn': 'retiré', 'status.expired': 'expiré',
  'status.objected': 'opposition', 'status.none': 'aucun',
};

const dictionaries: Record<Language, Record<Key, string>> = { en, fr };

export type Translate = (key: Key, params?: Record<string, string | number>) => string;

export function translator(language: Language): Translate {
  return (key, params = {}) => dictionaries[language][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

export const LanguageContext = createContext<{ language: Language; t: Translate }>({ language: 'en', t: translator('en') });
export const useI18n = () => useContext(LanguageContext);

const LANGUAGE_STORAGE = 'consent-ledger.console.language';

export function initialLanguage(): Language {
  const stored = localStorage.getItem(LANGUAGE_STORAGE);
  if (stored === 'en' || stored === 'fr') return stored;
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export const rememberLanguage = (language: Language): void => localStorage.setItem(LANGUAGE_STORAGE, language);

/** A purpose text in the interface language when the purpose provides it, else its first language. */
export function localized(text: string | Record<string, string> | undefined, language: Language): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return text[language] ?? text.en ?? text.fr ?? Object.values(text)[0] ?? '';
}

export function formatInstant(iso: string | null | undefined, language: Language): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(language === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }) + ' UTC';
}
