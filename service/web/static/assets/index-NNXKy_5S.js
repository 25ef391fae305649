import{s as t}from"./common-qe9WOeaX.js";t();document.body.dataset.ready="true";
