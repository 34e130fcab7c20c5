;;; copilot_el.el --- copilot.el's next edits against seed-lsp, in `emacs --batch'  -*- lexical-binding: t -*-
;; copilot.el (copilot-emacs/copilot.el) with `copilot-server-executable' pointing at seed-lsp,
;; `copilot-mode' and `copilot-nes-mode' on, as its README says. Make an edit, stay idle (the
;; plugin asks), record each suggestion and its overlays, accept it with `copilot-nes-accept'
;; (its TAB: jump, then apply), and read seed/status.
;;
;; SEED_TEST_PARAMS (JSON): load_path (copilot.el and the libraries it needs), cmd, workspace,
;; file, cursor ([1-based line, 0-based column]), keys ([delete N chars, insert TEXT]), edits.
;; The outcome goes to SEED_TEST_OUT as JSON: {ok, message, results, messages}.

(require 'json)
(require 'cl-lib)
(require 'subr-x)

(defvar seed-p (json-parse-string (getenv "SEED_TEST_PARAMS") :object-type 'plist
                                  :array-type 'list))
(defvar seed-results nil)
(defvar seed-messages nil)

(defun seed-param (key) (plist-get seed-p key))
(defun seed-record (key value) (setq seed-results (plist-put seed-results key value)))

(advice-add 'message :after
            (lambda (fmt &rest args)
              (when fmt (push (apply #'format-message fmt args) seed-messages))))

(defun seed-finish (ok message)
  (with-temp-file (getenv "SEED_TEST_OUT")
    (insert (json-encode (list :ok (if ok t :json-false)
                               :message (or message "")
                               :results (or seed-results (make-hash-table))
                               :messages (string-join (reverse seed-messages) "\n")))))
  (kill-emacs (if ok 0 1)))

(run-at-time 50 nil (lambda () (seed-finish nil "watchdog: the test did not finish in time")))

(defun seed-wait (what pred &optional timeout)
  "Run the event loop until PRED is non-nil; fail naming WHAT after TIMEOUT seconds."
  (let ((deadline (+ (float-time) (or timeout 10))) value)
    (while (and (not (setq value (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or value (error "Timed out waiting for %s" what))))

(defun seed-idle (seconds)
  "The user does nothing for SECONDS. `emacs --batch' never counts as idle, so the idle
timers that would have fired by then are run here."
  (let ((deadline (+ (float-time) seconds)))
    (while (< (float-time) deadline) (accept-process-output nil 0.05)))
  (dolist (timer (copy-sequence timer-idle-list))
    (when (<= (float-time (timer--time timer)) seconds)
      (timer-event-handler timer))))

(defun seed-text () (buffer-substring-no-properties (point-min) (point-max)))

(defun seed-overlays ()
  "What copilot-nes drew: each overlay's face, span and after-string."
  (vconcat
   (mapcar (lambda (ov)
            (list :face (format "%s" (overlay-get ov 'face))
                  :start (1- (overlay-start ov)) :end (1- (overlay-end ov))
                  :after (or (overlay-get ov 'after-string) "")))
           copilot-nes--overlays)))

(defun seed-command (method)
  "A request to the server, answered synchronously (seed/status)."
  (jsonrpc-request copilot--connection method (make-hash-table)))

(defun seed-suggestion (n)
  "Stay idle until copilot-nes shows suggestion N; record it."
  (seed-wait (format "next edit %d" n)
             (lambda () (seed-idle 0.6) copilot-nes--edit) 15)
  (let ((edit copilot-nes--edit))
    (list :text (plist-get edit :text)
          :range (plist-get edit :range)
          :textDocument (plist-get edit :textDocument)
          :command (plist-get edit :command)
          :overlays (seed-overlays))))

(defun seed-accept ()
  "`copilot-nes-accept' (TAB) until the suggestion is applied: the first moves to it."
  (let ((before (seed-text)))
    (dotimes (_ 3)
      (when (and copilot-nes--edit (equal before (seed-text)))
        (call-interactively #'copilot-nes-accept)
        (run-hooks 'post-command-hook)
        (accept-process-output nil 0.1)))
    (when (equal before (seed-text)) (error "copilot-nes-accept did not apply the suggestion"))))

(condition-case err
    (progn
      (dolist (dir (seed-param :load_path)) (add-to-list 'load-path dir))
      (require 'copilot)
      (require 'copilot-nes)
      (setq copilot-server-executable (car (seed-param :cmd))
            copilot-server-args (cdr (seed-param :cmd)))
      (find-file (expand-file-name (seed-param :file) (seed-param :workspace)))
      (copilot-mode 1)
      (copilot-nes-mode 1)
      (seed-wait "the server to start" #'copilot--connection-alivep 15)
      (seed-record :encoding (plist-get (seed-command 'seed/status) :positionEncoding))
      ;; The user's edit.
      (let ((cursor (seed-param :cursor)) (keys (seed-param :keys)))
        (goto-char (point-min))
        (forward-line (1- (car cursor)))
        (forward-char (cadr cursor))
        (delete-char (car keys))
        (insert (cadr keys)))
      (let (suggestions)
        (dotimes (i (seed-param :edits))
          (push (seed-suggestion (1+ i)) suggestions)
          (seed-accept))
        (seed-record :suggestions (vconcat (nreverse suggestions))))
      (seed-record :after (vconcat (split-string (string-remove-suffix "\n" (seed-text)) "\n")))
      (seed-idle 1.0)
      (accept-process-output nil 0.5)
      (seed-record :left (if copilot-nes--edit 1 0))
      (seed-record :status (seed-command 'seed/status))
      (seed-record :warnings (if (get-buffer "*Warnings*")
                                 (with-current-buffer "*Warnings*" (buffer-string))
                               ""))
      (seed-finish t "ok"))
  (error (seed-finish nil (error-message-string err))))
