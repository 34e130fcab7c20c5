;;; harness.el --- drive eglot + editors/snippets/emacs/init.el in `emacs --batch'  -*- lexical-binding: t -*-
;; SEED_TEST_PARAMS (JSON) says which scenario to run and with what; the outcome is written as
;; JSON to SEED_TEST_OUT: {ok, message, results, messages, events}.  A watchdog ends Emacs
;; with a written outcome if the scenario hangs.

(require 'json)
(require 'cl-lib)
(require 'subr-x)

(defvar seed-test-params
  (json-parse-string (getenv "SEED_TEST_PARAMS") :object-type 'plist :array-type 'list))
(defvar seed-test-out (getenv "SEED_TEST_OUT"))
(defvar seed-test-results nil "A plist of what the scenario observed.")
(defvar seed-test-messages nil "Every `message' Emacs showed, newest first.")
(defvar seed-test-prompts nil "Every prompt a stubbed user answered, newest first.")

(defun seed-test-param (key) (plist-get seed-test-params key))
(defun seed-test-record (key value)
  (setq seed-test-results (plist-put seed-test-results key value)))

(advice-add 'message :after
            (lambda (fmt &rest args)
              (when fmt (push (apply #'format-message fmt args) seed-test-messages))))

(defun seed-test-events ()
  "The tail of the eglot events buffer, for failure reports."
  (let ((buf (cl-find-if (lambda (b) (string-match-p "EGLOT.*events" (buffer-name b)))
                         (buffer-list))))
    (if buf
        (with-current-buffer buf
          (buffer-substring-no-properties (max (point-min) (- (point-max) 6000)) (point-max)))
      "")))

(defun seed-test-finish (ok message)
  (let ((json-encoding-pretty-print nil))
    (with-temp-file seed-test-out
      (insert (json-encode
               (list :ok (if ok t :json-false)
                     :message (or message "")
                     :results (or seed-test-results (make-hash-table))
                     :prompts (vconcat (reverse seed-test-prompts))
                     :messages (string-join (reverse seed-test-messages) "\n")
                     :events (seed-test-events))))))
  (kill-emacs (if ok 0 1)))

(run-at-time (or (seed-test-param :watchdog) 25) nil
             (lambda () (seed-test-finish nil "watchdog: the scenario did not finish in time")))

(defun seed-test-wait (what pred &optional timeout)
  "Run Emacs's event loop until PRED is non-nil; fail naming WHAT after TIMEOUT seconds."
  (let ((deadline (+ (float-time) (or timeout 10))) value)
    (while (and (not (setq value (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or value (error "Timed out waiting for %s" what))))

(defun seed-test-text () (buffer-substring-no-properties (point-min) (point-max)))

(defun seed-test-goto (line col)
  "Go to 1-based LINE and 0-based COL."
  (goto-char (point-min))
  (forward-line (1- line))
  (move-to-column col))

(defun seed-test-open (file)
  "Visit FILE as a user would, let one command pass (eglot-ensure connects after a
command), and wait until eglot manages the buffer and the server is initialized."
  (switch-to-buffer (find-file-noselect file))
  (run-hooks 'post-command-hook)
  (seed-test-wait "eglot to connect"
                  (lambda () (and (eglot-current-server)
                                  (eglot--server-capable :completionProvider)
                                  eglot--managed-mode)))
  (let ((server (eglot-current-server)))
    (seed-test-record :major_mode (symbol-name major-mode))
    (seed-test-record :server_command (process-command (jsonrpc--process server)))
    (seed-test-record :server_name (plist-get (eglot--server-info server) :name))
    (seed-test-record :capabilities (eglot--capabilities server))))

(defun seed-test-stub-user (answers)
  "Answer `completing-read' and `y-or-n-p' as a user would: pick the candidate ANSWERS
names (by title) and say yes; record every prompt."
  (advice-add 'completing-read :override
              (lambda (prompt collection &rest _)
                (let ((titles (mapcar (lambda (c) (if (consp c) (car c) c))
                                      (if (functionp collection)
                                          (all-completions "" collection)
                                        collection))))
                  (push (list :prompt prompt :choices titles) seed-test-prompts)
                  (or (cl-find-if (lambda (title) (string-match-p (regexp-quote answers) title))
                                  titles)
                      (error "No choice matching %s among %S" answers titles)))))
  (advice-add 'y-or-n-p :override
              (lambda (prompt) (push (list :prompt prompt :answer "y") seed-test-prompts) t)))

;;; Scenarios

(defun seed-test-linter (report &rest _)
  "A flymake backend standing in for a linter: an error on each `y' after `return '."
  (let (diags)
    (save-excursion
      (goto-char (point-min))
      (while (re-search-forward "return \\(y\\)\\b" nil t)
        (push (flymake-make-diagnostic (current-buffer) (match-beginning 1) (match-end 1)
                                       :error (seed-test-param :message))
              diags)))
    (funcall report diags)))

(defun seed-test-connect ()
  (seed-test-open (seed-test-param :file))
  (seed-test-record :configuration
                    (eglot--workspace-configuration-plist (eglot-current-server))))

(defun seed-test-complete ()
  (seed-test-open (seed-test-param :file))
  (goto-char (point-max))
  (seed-test-record :before (seed-test-text))
  (completion-at-point)
  (seed-test-record :after (seed-test-text))
  (seed-test-record :point (list (line-number-at-pos) (current-column))))

(defun seed-test-code-action ()
  (seed-test-open (seed-test-param :file))
  (apply #'seed-test-goto (seed-test-param :cursor))
  (when-let ((lines (seed-test-param :region)))
    ;; The user selects whole lines FIRST..LAST (1-based), as with C-SPC and motion.
    (transient-mark-mode 1)
    (seed-test-goto (car lines) 0)
    (push-mark (point) t t)
    (seed-test-goto (cadr lines) 0)
    (end-of-line))
  (seed-test-stub-user (seed-test-param :pick))
  (let ((before (seed-test-text)))
    ;; As after M-x from the keyboard: a key event, so eglot asks with `completing-read'
    ;; (a mouse event, or none as in batch, would make it pop up a menu).
    (let ((last-nonmenu-event ?\r))
      (call-interactively #'eglot-code-actions))
    (seed-test-wait "the edit" (lambda () (not (equal before (seed-test-text)))) 15))
  (seed-test-record :text (seed-test-text)))

(defun seed-test-hover ()
  (seed-test-open (seed-test-param :file))
  (apply #'seed-test-goto (seed-test-param :cursor))
  (when (seed-test-param :ask_first)
    (call-interactively #'seed-lsp-hover)
    (seed-test-record :echo (car seed-test-messages)))
  (eldoc-print-current-symbol-info t)
  (seed-test-wait "eldoc's buffer"
                  (lambda () (and (buffer-live-p eldoc--doc-buffer)
                                  (with-current-buffer eldoc--doc-buffer
                                    (> (buffer-size) 0))))
                  10)
  (seed-test-record :eldoc (with-current-buffer eldoc--doc-buffer (seed-test-text))))

(defun seed-test-explain ()
  (seed-test-open (seed-test-param :file))
  (apply #'seed-test-goto (seed-test-param :cursor))
  (call-interactively #'seed-lsp-explain)
  (let ((buf (get-buffer "*seed-lsp explain*")))
    (seed-test-record :buffer (and buf (with-current-buffer buf (seed-test-text))))
    (seed-test-record :shown (and buf (get-buffer-window buf) t))))

(defun seed-test-refactor ()
  (seed-test-open (seed-test-param :file))
  (apply #'seed-test-goto (seed-test-param :cursor))
  (seed-test-stub-user "")
  (let ((before (seed-test-text)))
    (seed-lsp-refactor (seed-test-param :instruction))
    (seed-test-wait "the edit" (lambda () (not (equal before (seed-test-text)))) 15))
  (seed-test-record :text (seed-test-text)))

(defun seed-test-fix ()
  (seed-test-open (seed-test-param :file))
  (add-hook 'flymake-diagnostic-functions #'seed-test-linter nil t)
  (flymake-start)
  (seed-test-wait "the linter's diagnostic" (lambda () (flymake-diagnostics (point-min) (point-max))))
  (goto-char (flymake-diagnostic-beg (car (flymake-diagnostics (point-min) (point-max)))))
  (seed-test-stub-user "")
  (let ((before (seed-test-text)))
    (call-interactively #'seed-lsp-fix)
    (seed-test-wait "the edit" (lambda () (not (equal before (seed-test-text)))) 15))
  (seed-test-record :text (seed-test-text)))

(condition-case err
    (progn
      (load (seed-test-param :init) nil t)
      (when-let ((config (seed-test-param :config)))
        ;; A user's own `seedLsp' section in place of the snippet's.
        (setq-default eglot-workspace-configuration config))
      (funcall (intern (concat "seed-test-" (string-replace "_" "-" (seed-test-param :scenario)))))
      (seed-test-finish t "ok"))
  (error (seed-test-finish nil (error-message-string err))))
