// The French error page: what happened and what to do, never a raw problem.
const MESSAGES: Record<string, { title: string; advice: string }> = {
  'compte-inconnu': {
    title: 'Compte inconnu',
    advice: "Votre identité a bien été vérifiée, mais aucun compte ne vous est ouvert ici. Demandez à la coordination de votre CPTS de vous ajouter.",
  },
  'connexion-expiree': {
    title: 'Connexion expirée',
    advice: 'La connexion a pris trop de temps ou a été ouverte dans un autre onglet. Recommencez.',
  },
  'connexion-refusee': {
    title: 'Connexion refusée',
    advice: "Le fournisseur d'identité n'a pas confirmé votre connexion. Recommencez ; si cela persiste, prévenez la coordination.",
  },
  'fournisseur-indisponible': {
    title: "Fournisseur d'identité indisponible",
    advice: 'Le service de connexion ne répond pas. Réessayez dans quelques minutes.',
  },
};

const UNKNOWN = { title: 'Une erreur est survenue', advice: "Revenez à l'accueil et recommencez." };

export function ErrorPage({ code }: { code: string | null }) {
  const message = (code !== null ? MESSAGES[code] : undefined) ?? UNKNOWN;
  return (
    <main>
      <h1>{message.title}</h1>
      <p role="alert">{message.advice}</p>
      <a href="/app/" role="button">Revenir à l'accueil</a>
    </main>
  );
}
