// The embedded provider's login form, in French: plain HTML (no script), so
// that it works before any bundle is built and with scripts disabled.
export interface LoginPageOptions { title: string; action?: string; login?: string; error?: string }

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function loginPage(options: LoginPageOptions): string {
  const error = options.error === undefined ? '' : `<p role="alert" class="error">${escape(options.error)}</p>`;
  const form = options.action === undefined ? '' : `<form method="post" action="${escape(options.action)}">
  <label for="login">Identifiant</label>
  <input id="login" name="login" autocomplete="username" required autofocus value="${escape(options.login ?? '')}">
  <label for="password">Mot de passe</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Se connecter</button>
</form>`;
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(options.title)} — SNP</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem;color:#1b1f24}
label,input,button{display:block;width:100%;box-sizing:border-box;font-size:1rem}input{padding:.6rem;margin:.25rem 0 1rem;border:1px solid #666;border-radius:.3rem}
button{padding:.7rem;background:#0a58ca;color:#fff;border:0;border-radius:.3rem;cursor:pointer}.error{color:#a4161a;font-weight:600}</style>
</head><body><main><h1>${escape(options.title)}</h1><p>Fournisseur d'identité local de la CPTS (comptes de démonstration).</p>${error}${form}</main></body></html>`;
}
