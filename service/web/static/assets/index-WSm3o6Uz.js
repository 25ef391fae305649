import{s as t}from"./common-oRwIonNr.js";t();document.body.dataset.ready="true";
