// The till's local date and time, as the ticket wants them: soldAt in RFC 3339 with the till's
// offset (its local date is the numbering day), and that day for pricing.
const pad = (n, w = 2) => String(Math.abs(n)).padStart(w, "0");

export function now(date = new Date()) {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const soldAt = `${day}T${time}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
  return { day, soldAt };
}
