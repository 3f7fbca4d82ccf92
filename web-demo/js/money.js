// Display only: the package returns amounts as exact decimal strings ("3.30"), rounded to the cent by core.
const euros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });
export const formatEuros = (amount) => euros.format(Number(amount));
