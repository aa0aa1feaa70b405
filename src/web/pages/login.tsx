import { loginUrl } from '../api.js';

/** Shown to anyone without a session: one button to the OpenID provider. */
export function LoginPage({ next }: { next: string }) {
  return (
    <main>
      <h1>Soins non programmés de la CPTS</h1>
      <p>Connectez-vous pour accéder à votre espace : comptoir, astreinte, régulation ou coordination.</p>
      <a href={loginUrl(next)} role="button">Se connecter</a>
    </main>
  );
}
