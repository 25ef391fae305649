// The landing page (/): links to the pages and health, in the pages' language.
import "./style.css";
import { startI18n } from "./i18n.js";

startI18n();
document.body.dataset.ready = "true";
