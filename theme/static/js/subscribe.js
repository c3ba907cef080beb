// The subscribe page: a Copy button next to each address. Without JavaScript
// the buttons stay hidden and the read-only field is there to select and copy.
// Loaded as a file by the subscribe page only: the Content-Security-Policy
// blocks inline scripts.

function selectAll(field) {
  field.focus();
  field.setSelectionRange(0, field.value.length);
}

for (const button of document.querySelectorAll("button[data-copies]")) {
  const field = document.getElementById(button.dataset.copies);
  const status = document.getElementById(button.dataset.status);
  if (!field || !status) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    for (const other of document.querySelectorAll(".subscribe-address__status")) {
      other.textContent = "";
    }
    try {
      // Absent on a page not served over https (or localhost): caught below.
      await navigator.clipboard.writeText(field.value);
      status.textContent = status.dataset.copied;
    } catch {
      // The address stays selected, ready to copy by hand.
      selectAll(field);
      status.textContent = status.dataset.failed;
    }
  });
}

// As many rows as the address needs at this width, so all of it shows (the
// page itself gives two).
function fitRows(field) {
  field.rows = 1;
  while (field.scrollHeight > field.clientHeight && field.rows < 6) field.rows += 1;
}

const fields = document.querySelectorAll(".subscribe-address__field");
for (const field of fields) {
  fitRows(field);
  // A click or tab into an address selects all of it: nobody needs half an address.
  field.addEventListener("focus", () => selectAll(field));
  field.addEventListener("click", () => selectAll(field));
}
window.addEventListener("resize", () => fields.forEach(fitRows));
