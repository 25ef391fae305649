import{s as t}from"./common-4FgiT1DQ.js";t();document.body.dataset.ready="true";
