import{s as t}from"./common-UTI1mbwM.js";t();document.body.dataset.ready="true";
