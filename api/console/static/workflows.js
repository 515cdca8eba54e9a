// The workflows page's Run buttons: POST the JSON input, then open the new execution.
"use strict";

document.querySelectorAll(".run-form").forEach((form) => {
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const error = form.querySelector(".run-error");
    error.hidden = true;
    let input;
    try {
      const raw = form.elements.input.value.trim();
      input = raw ? JSON.parse(raw) : null;
    } catch (problem) {
      error.textContent = "Input is not JSON: " + problem.message;
      error.hidden = false;
      return;
    }
    const response = await fetch("/ui/workflows/" + encodeURIComponent(form.dataset.workflowId) + "/run", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Hive-Console": "1" },
      body: JSON.stringify({ input: input }),
    });
    const answer = await response.json().catch(() => ({}));
    if (response.status === 401) { window.location.reload(); return; }
    if (!response.ok) {
      error.textContent = (answer.error && answer.error.message) || "could not start (" + response.status + ")";
      error.hidden = false;
      return;
    }
    window.location.assign("/ui/executions/" + encodeURIComponent(answer.id));
  });
});
