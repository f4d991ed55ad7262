;;; flux-oci.el --- Flux OCI Sources with eglot (Emacs 29+)  -*- lexical-binding: t; -*-
;; Add to init.el; needs `flux-oci-language-server' on PATH. `--trusted' turns on live registry features (Emacs has no
;; workspace trust; `:initializationOptions (:workspaceTrusted t)' does the same).
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((yaml-mode yaml-ts-mode)
                 . ("flux-oci-language-server" "--stdio" "--trusted"
                    :initializationOptions (:clientName "emacs-eglot")))))
;; The `fluxOci.*' settings of the README, answered to the server's workspace/configuration requests.
(setq-default eglot-workspace-configuration
              '(:fluxOci (:registry (:timeoutSeconds 15 :offline :json-false))))
(add-hook 'yaml-mode-hook #'eglot-ensure)
