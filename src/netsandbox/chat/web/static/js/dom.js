// Builds elements from data. Text always goes in as text nodes, never parsed as HTML, so a
// message such as "<img src=x onerror=alert(1)>" is shown exactly as it was typed and runs
// nothing. (element.innerHTML = userText would run it: this page never uses innerHTML.)

// el("li", { class: "message", "data-id": 7 }, "Hello", el("time", {}, "14:05"))
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.toLowerCase().startsWith("on")) {
      throw new Error(`el(): attach ${name} with addEventListener, not as an attribute`);
    }
    element.setAttribute(name, value === true ? "" : String(value));
  }
  // append() turns each string into a text node.
  element.append(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

// The element with this id; a missing one is a bug in index.html, said at once.
export function byId(id) {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`index.html has no element #${id}`);
  return element;
}
