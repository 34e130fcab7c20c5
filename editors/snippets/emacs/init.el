;;; seed-lsp with eglot (Emacs 28 + elpa-eglot 1.9, or Emacs 29+ where eglot is built in).
;; Export AIMLAPI_KEY before starting Emacs (or set it with `setenv').
;; Eglot runs one server per major mode: with these lines seed-lsp replaces your usual
;; server for those modes, and starts when you visit such a file. Completions come as one
;; item in `completion-at-point' (the server's completion fallback); code actions with
;; M-x eglot-code-actions (select the lines first: without a region eglot sends the symbol
;; at point, so the actions work on its line); M-x seed-lsp-hover explains the symbol at point
;; and eldoc shows it; M-x seed-lsp-explain shows an explanation in a buffer;
;; M-x seed-lsp-refactor rewrites the region or the function at point; M-x seed-lsp-fix fixes
;; the flymake diagnostic at point (eglot offers no quick fixes here). Eglot asks before
;; applying an edit the server sends (`eglot-confirm-server-initiated-edits').

(require 'eglot)

(add-to-list 'eglot-server-programs
             '((python-mode python-ts-mode js-mode typescript-mode go-mode rust-mode c-mode c++-mode)
               . ("seed-lsp" "--stdio")))

;; The `seedLsp' section, answered to workspace/configuration. Every key of the README's
;; settings table works here.
(setq-default eglot-workspace-configuration
              '(:seedLsp (:completion (:enabled t) :hover (:mode "explicit"))))

;; Model calls can take a while.
(setq eglot-sync-connect nil)

;; Start seed-lsp when a file in one of those modes is visited (or run M-x eglot yourself).
(dolist (hook '(python-mode-hook python-ts-mode-hook js-mode-hook typescript-mode-hook
                go-mode-hook rust-mode-hook c-mode-hook c++-mode-hook))
  (add-hook hook #'eglot-ensure))

(defun seed-lsp--range ()
  "The LSP range of the region, or the empty range at point."
  (if (use-region-p)
      (list :start (eglot--pos-to-lsp-position (region-beginning))
            :end (eglot--pos-to-lsp-position (region-end)))
    (let ((pos (eglot--pos-to-lsp-position)))
      (list :start pos :end pos))))

(defun seed-lsp-explain ()
  "Explain the region, or the function at point, in a *seed-lsp explain* buffer."
  (interactive)
  (let* ((server (eglot--current-server-or-lose))
         (result (jsonrpc-request
                  server :workspace/executeCommand
                  (list :command "seed.explain"
                        :arguments (vector (list :uri (eglot--path-to-uri (buffer-file-name))
                                                 :range (seed-lsp--range))))
                  :timeout 120)))
    (with-current-buffer (get-buffer-create "*seed-lsp explain*")
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert (or (plist-get result :value) "(no explanation)"))
        (when (fboundp 'markdown-mode) (markdown-mode))
        (goto-char (point-min)))
      (display-buffer (current-buffer)))))

(defun seed-lsp-refactor (instruction)
  "Rewrite the region, or the function at point, as INSTRUCTION says."
  (interactive "sSeed refactor: ")
  (jsonrpc-request (eglot--current-server-or-lose) :workspace/executeCommand
                   (list :command "seed.refactor"
                         :arguments (vector (list :uri (eglot--path-to-uri (buffer-file-name))
                                                  :range (seed-lsp--range)
                                                  :instruction instruction)))
                   :timeout 120))

(defun seed-lsp-hover ()
  "Explain the symbol at point now, and show it in eldoc from then on.
This snippet sets hover.mode \"explicit\": eldoc shows only explanations asked for."
  (interactive)
  (let ((result (jsonrpc-request
                 (eglot--current-server-or-lose) :workspace/executeCommand
                 (list :command "seed.hover"
                       :arguments (vector (list :uri (eglot--path-to-uri (buffer-file-name))
                                                :position (eglot--pos-to-lsp-position))))
                 :timeout 30)))
    (message "%s" (or (plist-get (plist-get result :contents) :value) "seed-lsp: no explanation"))))

(defun seed-lsp-fix ()
  "Fix the flymake diagnostic at point (from any backend: a linter, another checker).
With seed-lsp as the mode's eglot server, eglot sends it no diagnostics of its own, so its
quick fixes do not appear in M-x eglot-code-actions: this command asks seed-lsp directly."
  (interactive)
  (let* ((diag (or (car (flymake-diagnostics (point)))
                   (user-error "No flymake diagnostic at point")))
         (type (flymake-diagnostic-type diag))
         (range (list :start (eglot--pos-to-lsp-position (flymake-diagnostic-beg diag))
                      :end (eglot--pos-to-lsp-position (flymake-diagnostic-end diag)))))
    (jsonrpc-request
     (eglot--current-server-or-lose) :workspace/executeCommand
     (list :command "seed.fixDiagnostic"
           :arguments (vector
                       (list :uri (eglot--path-to-uri (buffer-file-name))
                             :range range
                             :diagnostic (list :range range
                                               :message (flymake-diagnostic-text diag)
                                               :severity (cond ((memq type '(:error eglot-error)) 1)
                                                               ((memq type '(:warning eglot-warning)) 2)
                                                               (t 3))
                                               :source (format "%s" (flymake-diagnostic-backend diag))))))
     :timeout 120)))
