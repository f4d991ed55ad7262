-- Flux OCI Sources in Neovim 0.11+ (built-in vim.lsp.config; with nvim-lspconfig the same table works as a custom
-- server config). Put this in init.lua or ~/.config/nvim/lsp/; needs `flux-oci-language-server` on PATH.
vim.lsp.config('flux_oci', {
  cmd = { 'flux-oci-language-server', '--stdio' },
  filetypes = { 'yaml' },
  root_markers = { 'kustomization.yaml', '.git' },
  -- Neovim has no workspace trust: saying so here turns on live registry hovers, completion and diagnostics.
  init_options = { workspaceTrusted = true },
  -- Answered to the server's workspace/configuration requests (the `fluxOci.*` settings of the README).
  settings = {
    fluxOci = {
      registry = { timeoutSeconds = 15, offline = false },
      hints = { newerVersions = true },
    },
  },
})
vim.lsp.enable('flux_oci')
